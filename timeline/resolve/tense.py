"""Tense: which way the clause around a mention points (past or future).

A small lexical analysis, not a parser: it looks at the words of the clause
that holds the mention, nearest first, for a verb group that fixes the time
("will meet", "is expected to", "voiced", "has said", "were held").  The
clause is cut at sentence ends, semicolons and at "that"/"which" so that
reported speech ("said on Friday that it will ...") gives each part its own
tense.
"""

from __future__ import annotations

import re

__all__ = ["PAST", "FUTURE", "PRESENT", "clause_bounds", "core_tense_of", "tense_of"]

PAST = "past"
FUTURE = "future"
PRESENT = "present"

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]{0,30}")
# Cuts between clauses; bounded, so a search is linear.  Every alternative
# consumes its first character in one class, which the engine looks for in
# its fast loop; a look-behind then picks the alternative.
_CUT = re.compile(
    r"[.!?;:\stwba\"“”'`]"
    # a sentence end, not after "Mr." or an initial, nor after "Jan." unless
    # a capitalised word follows ("in July and Aug. Was ...", not "Aug. 5")
    r"(?:(?<=[.!?;:])"
    r"(?<![A-Z][.!?;:])(?<!\bMr[.!?;:])(?<!\bMs[.!?;:])(?<!\bDr[.!?;:])(?<!\bSt[.!?;:])(?<!\bCo[.!?;:])(?<!\bJr[.!?;:])(?<!\bSr[.!?;:])(?<!Mrs[.!?;:])(?<!Inc[.!?;:])(?<!Corp[.!?;:])(?<!Gen[.!?;:])(?<!Sen[.!?;:])(?<!Rep[.!?;:])(?<!Gov[.!?;:])(?:(?<!Jan[.!?;:])(?<!Feb[.!?;:])(?<!Aug[.!?;:])(?<!Sep[.!?;:])(?<!Sept[.!?;:])(?<!Oct[.!?;:])(?<!Nov[.!?;:])(?<!Dec[.!?;:])|(?=\s{1,3}[A-Z][a-z]))(?<!\bNo[.!?;:])(?<!Ltd[.!?;:])(?<!Bros[.!?;:])(?<!\bvs[.!?;:])"
    r"\s"
    r"|(?<=\n)"  # a line break: a headline, a dateline and a body are apart
    r"|(?<=\s)[-—–]{1,2}\s"  # a dash between spaces
    # a quotation mark: a quote has its own tense ("''" and "``" are marks,
    # a lone "'" is an apostrophe)
    r"|(?<=[\"“”'`])(?:(?<=[\"“”])|(?<=')'|(?<=`)`)"
    # a word that starts a clause
    r"|(?<=[twba])(?<!\w[twba])"
    r"(?:(?<=t)hat|(?<=w)(?:hich|hose|hom|ho|hile|hen)|(?<=b)ecause|(?<=a)lthough)\b)"
)
# Softer cuts: tried first, and given up when the smaller clause shows no tense
# ("reached a deal last week and will review it" versus "stepped down as
# president and chief executive in March").
_SOFT_WORDS = frozenset({"and", "but"})

# "gonna", "wanna": informal "going to", "want to"
_FUTURE_WORDS = frozenset("will 'll shall won't gonna wanna".split())
_FUTURE_PHRASES = (
    ("going", "to"),
    ("expected", "to"),
    ("scheduled", "to"),
    ("due", "to"),
    ("set", "to"),
    ("plans", "to"),
    ("plan", "to"),
    ("planned", "to"),
    ("planning", "to"),
    ("intends", "to"),
    ("aims", "to"),
    ("hopes", "to"),
    ("hope", "to"),
    ("hoping", "to"),
    ("intend", "to"),
    ("aim", "to"),
    ("expect", "to"),
    ("expects", "to"),
    ("want", "to"),
    ("wants", "to"),
    ("is", "to"),
    ("are", "to"),
)
_FUTURE_SINGLE = frozenset(
    "upcoming scheduled slated expects forecasts predicts anticipates projects intends "
    "planned planning".split()
)
# "as planned", "as previously scheduled": the words tell that a plan held,
# not when.
_AS_PLANNED = frozenset("as previously originally initially".split())
# The forms of "be" an adverb may part from its participle.
_BE_FORMS = frozenset("be is are am being".split())
# Past verbs whose "to" clause lies ahead of the decision: "agreed to meet on Friday".
_COMMITTED = frozenset("decided agreed voted promised pledged vowed threatened undertook".split())
_DETERMINERS = frozenset("a an the its their his her our this these those".split())
_PAST_AUX = frozenset("was were had did been".split())
_PERFECT = frozenset("has have".split())
_PRESENT_AUX = frozenset("is are am does do".split())

IRREGULAR_PAST = frozenset(
    """
    said told met held took came went made gave found saw began left won lost fell rose
    became got sent spent paid sold bought brought thought knew led ran struck put set cut
    quit hit kept felt heard meant stood understood wrote drove broke spoke chose froze
    shook stole swore tore wore woke arose fought caught taught sought built lent bent
    sat fled fed bled read hung shot lit slid spun sank sprang swam rang sang drank
    grew threw flew drew blew forbade forgave overcame overtook undertook withdrew
    became dealt dug laid paid slept swept wept crept leapt shone bore beat bid
    died tied lied owed underwent upheld withheld overthrew rode forgot strode swung stuck
    """.split()
)
# Present-tense verbs of a schedule: "the trial resumes on Monday", "when he
# meets Bush on Monday" (but not after a determiner: "the expected visits").
_SCHEDULE = frozenset(
    "opens starts begins ends closes resumes meets kicks convenes expires arrives concludes "
    "travels flies leaves departs goes plays faces entertains".split()
)
_SCHEDULE_PLURAL = frozenset("meet host start begin resume convene entertain".split())
# Present verbs that tell a schedule only with their particle: "matches kick
# off on Wednesday", "Christmas falls on a Friday".
_SCHEDULE_PARTICLE = {"kick": "off", "kicks": "off", "falls": "on", "fall": "on"}
# Right before a weekday: "a strike starting Monday", "beginning on Thursday".
_STARTING = frozenset(("starting", "beginning"))
# A present verb of coming into effect: "comes into force", "takes effect".
_IN_EFFECT = {"comes": "into", "takes": "effect", "come": "into", "take": "effect"}
_NOT_VERB_BEFORE = frozenset(
    "a an the its their his her our this these those to will would can could may might must "
    "should did does do not and or".split()
)
# Words in -ed that are usually not past-tense verbs in news text.
_NOT_PAST = frozenset(
    """
    united based related limited red bed need needed speed seed feed hundred indeed
    proposed expected scheduled planned so-called armed advanced detailed fixed named
    concerned interested involved supposed used alleged reported unnamed unidentified
    aged biased skilled talented wed shed bred embed succeed proceed exceed heed
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


def clause_bounds(text: str, start: int, end: int, reach: int = 200) -> tuple[int, int]:
    """The clause around ``text[start:end]``, looking at most ``reach`` characters away."""
    lo = max(0, start - reach)
    left = lo
    for m in _CUT.finditer(text, lo, start):
        if text[m.start()] not in _QUOTE_MARKS or not _short_quote(text, m.start()):
            left = m.end()
    hi = min(len(text), end + reach)
    right = hi
    pos = end
    while (after := _CUT.search(text, pos, hi)) is not None:
        if text[after.start()] not in _QUOTE_MARKS or not _short_quote(text, after.start()):
            right = after.start()
            break
        pos = after.end()
    return left, right


_QUOTE_MARKS = "\"“”'`"
# A quotation of at most three words ("Galaxy", "in protest", "before
# summer.") is a name or a phrase inside the clause, not a quote of its own.
_SHORT_AFTER = re.compile(r"[\"“”'`]{1,2}[^\"“”`\n]{0,40}?[\"“”'`]")
_SHORT_WORDS = 3


def _short_quote(text: str, at: int) -> bool:
    """Whether the quotation mark at ``at`` (callers check that it is one)
    opens or closes a short quotation."""
    mark = text[at : at + 2] if text[at : at + 2] in ("''", "``") else text[at]
    before = text[at - 1 : at]
    opening = mark == "``" or mark == "“" or (mark != "''" and (not before or before.isspace()))
    if opening:
        m = _SHORT_AFTER.match(text, at)
        inside = m.group()[len(mark) : -1] if m else None
    else:
        # the opening mark of the quotation this one closes
        lo = max(0, at - 42)
        inside = None
        for q in range(at - 1, lo - 1, -1):
            if text[q] in '"“`' or text[q : q + 2] == "''" and q + 1 < at:
                inside = text[q + 1 : at].lstrip("`'")
                break
            if text[q] == "\n":
                break
    return inside is not None and len(inside.split()) <= _SHORT_WORDS


_WEEKDAY_START = re.compile(
    r"(?i)(?:(?:early|late|last|next|this|on)\s{1,3})?"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun|to|yester)(?:day|night|morrow)"
)
_RELATIVE_START = re.compile(r"(?<![A-Za-z])(?:who|whom|which|whose)\Z")
# A comma, then an attribution: ", an official from the group said".
_ATTRIBUTION = re.compile(
    r",(?=\s{1,3}(?:[A-Za-z.'’-]{1,30}\s{1,3}){0,5}"
    r"(?:said|says|told|added|announced|reported|stated|noted|explained)\b)"
)

_MODALS = ("can", "could", "may", "might", "should", "must")
# Modals whose verb lies ahead ("can" and "could" also tell what was possible).
_AHEAD_MODALS = frozenset(("should", "may", "might", "must"))
# After a modal, words that do not make it point ahead ("should have left",
# "May to June": the month).
_NOT_AFTER_MODAL = frozenset("have not also to and or through until".split())
# Before "may", words that make it the month ("from May 22 to June 4").
_MONTH_BEFORE = frozenset(
    "from since until till of by early late mid last next this and or between in".split()
)
# The words that can signal a tense besides those in -ed and -'ll: any other
# word is passed over without looking at its neighbours.
_SIGNAL_WORDS = (
    _FUTURE_WORDS
    | frozenset(_MODALS)
    | frozenset(("would", "soon", "early"))
    | frozenset(w for w, _ in _FUTURE_PHRASES)
    | _FUTURE_SINGLE
    | _PAST_AUX
    | _PERFECT
    | _PRESENT_AUX
    | IRREGULAR_PAST
    | _COMMITTED
    | _SCHEDULE
    | _SCHEDULE_PLURAL
    | frozenset(_SCHEDULE_PARTICLE)
    | _STARTING
    | frozenset(("ahead", "comes", "come", "takes", "take", "if", "unless", "about"))
)
_SIGNAL_ENDINGS = ("ed", "'ll", "’ll")


# Verbs after "due to" that make it a plan ("due to start"); any other word
# makes it a cause ("due to fog", "due to injuries").
_DUE_TO_VERBS = frozenset(
    """
    be start begin open close end meet arrive leave return visit hold take sign expire
    finish resume vote announce attend travel launch release publish deliver face make
    give hear decide report rule issue run come go appear speak address testify retire
    step complete reopen hand submit present unveil play fly sit convene
    receive discuss debate consider review become depart host
    """.split()
)
# Words before "starts", "ends", "meet" that make them nouns: "a strong start",
# "loose ends", "odds and ends", "a track meet".
_NOT_SUBJECT = frozenset(
    "strong weak good bad slow fast flying false fresh new early late loose odd odds both "
    "dead split head track swim athletics field indoor outdoor shaky solid poor bright "
    "promising brisk quick rocky".split()
)
# Nouns of an occasion after "ahead of": "ahead of the presidential election in December".
_OCCASIONS = frozenset(
    """
    election elections vote polls poll summit talks meeting meetings visit final match game
    holiday holidays deadline ballot referendum hearing trial conference launch release
    announcement festival celebrations games olympics cup season weekend arrival opening
    session sessions report data figures results inauguration ceremony congress tour
    """.split()
)


def _ahead_of_date(words: list[str], k: int, n: int) -> bool:
    """Whether "ahead of" (its object starting at word ``k``) looks to a time:
    the expression right after it ("ahead of Thursday's vote", "ahead of the
    weekend") or an occasion on the way to it ("ahead of the election in
    December"); not "ahead of her rival" or "ahead of schedule"."""
    between = words[k:n]
    if len(between) > 4:
        return False
    if not between or between == ["the"]:
        return True
    return any(w in _OCCASIONS for w in between)


def _classify(words: list[str], i: int, n: int, month: bool = True) -> str | None:
    """The tense that word ``i`` signals, looking one word around it; the
    first ``n`` words come before the expression, and ``month`` says it is
    not a weekday or a day word."""
    w = words[i]
    if w not in _SIGNAL_WORDS and not w.endswith(_SIGNAL_ENDINGS):
        return None
    nxt = words[i + 1] if i + 1 < len(words) else ""
    prev = words[i - 1] if i > 0 else ""
    left = i + 1 < n  # the word and the next one both before the expression
    if w in _FUTURE_WORDS or w.endswith("'ll") or w.endswith("’ll"):
        return FUTURE
    if w in _MODALS and prev not in ("a", "the", "in"):
        if (
            w in _AHEAD_MODALS
            and n - 4 <= i < n - 1  # before the date, and near it
            and nxt not in _NOT_AFTER_MODAL
            and not (w == "may" and prev in _MONTH_BEFORE)
        ):
            # "should be ready in November", "may close in March": what
            # should or may happen is still to come
            return FUTURE
        return PRESENT  # a modal gives no direction: the nearest date wins
    if w == "would":
        # reported plans: "said it would open on Friday"; but "would have"
        return PAST if nxt == "have" else FUTURE
    if w in ("soon", "early") and prev == "as" and nxt == "as":
        return FUTURE  # "as soon as Tuesday", "as early as Tuesday"
    after_to = words[i + 2] if i + 2 < len(words) else ""
    if (w, nxt) in _FUTURE_PHRASES:
        if w == "due" and after_to not in _DUE_TO_VERBS:
            return None  # "due to the rain", "due to injuries": a cause, not a plan
        # "had been due to expire": a future seen from a past point
        return PAST if prev in ("was", "were", "been", "had") else FUTURE
    if w in _FUTURE_SINGLE:
        if prev in _AS_PLANNED:
            return None  # "as (previously) planned": a plan's keeping, no tense
        return FUTURE
    if (
        w in ("set", "due")
        and nxt in (("for",) if w == "set" else ("for", "in", "on", "by"))
        and prev not in _PAST_AUX
        and not prev.endswith("ed")
    ):
        return FUTURE  # "a summit set for April", "an election due in December"
    if _SCHEDULE_PARTICLE.get(w) == nxt and prev not in _NOT_VERB_BEFORE:
        return FUTURE  # "the first legs kick off on Wednesday"
    if w in _SCHEDULE and prev not in _NOT_VERB_BEFORE and prev not in _NOT_SUBJECT:
        return FUTURE  # "the trial resumes on Monday"
    if (
        w in _SCHEDULE_PLURAL
        and prev not in _NOT_VERB_BEFORE
        and prev not in _NOT_SUBJECT
        and prev not in _PRESENT_AUX
    ):
        return FUTURE  # "he and Arafat meet on Monday" (not "a track meet")
    if w in _STARTING and not month and (i == n - 1 or (i == n - 2 and nxt == "on")):
        # "a strike starting Monday", "talks beginning on Thursday": a start
        # announced by its day lies ahead
        return FUTURE
    if _IN_EFFECT.get(w) == nxt and prev not in _NOT_VERB_BEFORE:
        return FUTURE  # "the law comes into force on Monday", "takes effect Friday"
    if w == "about" and i == n - 1 and prev in ("how", "what"):
        return FUTURE  # "how about Friday night?": a suggestion looks ahead
    if w in ("if", "unless") and i < n and prev != "as" and prev != "even":
        # "if they beat Deportivo on Wednesday": a condition in the present
        # tells of what is still to come (a past verb nearer wins first)
        return FUTURE
    if w == "ahead" and nxt == "of" and left and _ahead_of_date(words, i + 2, n):
        return FUTURE  # "ahead of Thursday's election", "ahead of the weekend"
    if w in _COMMITTED and nxt == "to" and left and after_to not in _NOT_VERB_BEFORE and month:
        # "has decided to admit them in March": what was decided lies ahead
        # (but "on Thursday agreed to ..." dates the agreeing, "agreed to a
        # ceasefire" has no verb after "to", and in "voted to confirm him on
        # Friday" a near weekday is the vote's)
        return FUTURE
    if w in _PAST_AUX:
        if nxt in ("expected", "scheduled", "due", "set", "going", "to"):
            return None  # "was expected to" looks forward from a past point
        return PAST
    if w in _PERFECT and nxt and (nxt.endswith("ed") or nxt in IRREGULAR_PAST or nxt == "been"):
        return PAST
    if w in _PRESENT_AUX:
        if nxt in ("expected", "scheduled", "due", "set", "going", "slated", "to"):
            return FUTURE
        if not month and w != "does" and w != "do" and len(nxt) > 5 and nxt.endswith("ing"):
            # "is flying out on Sunday", "are meeting on Friday": a present
            # progressive with a day is an arrangement ahead
            return FUTURE
        return PRESENT
    if prev.endswith("ly") and len(prev) > 4 and i > 1 and words[i - 2] in _BE_FORMS:
        # "will be formally set up", "was quickly sold": the adverb stands
        # between the auxiliary and its participle
        prev = words[i - 2]
    if prev in ("is", "are", "am") and (w in IRREGULAR_PAST or w.endswith("ed")):
        return PRESENT  # "the case is heard": a present passive
    if (
        prev == "be"
        and i > 1
        and words[i - 2] == "to"
        and (w in IRREGULAR_PAST or w.endswith("ed"))
    ):
        return FUTURE  # "an event to be held on October 12"
    if prev in ("be", "to", "being", "get", "gets", "getting"):
        # "is expected to be published", "is going to start getting beat
        # up": a passive, whose tense lies further out
        return None
    if w in IRREGULAR_PAST:
        return PAST
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST:
        if prev in _DETERMINERS or (i > 1 and words[i - 2] in _DETERMINERS and prev == "still"):
            return None  # an adjective: "the increased dividend", "a still unspecified date"
        if nxt == "to" and w in ("expected", "scheduled", "planned"):
            return FUTURE
        return PAST
    return None


_REACH_WORDS = 14  # words looked at on each side of the expression
_REACH_CHARS = 110  # about that many words of news English
_FAR_WORDS = 30
_FAR_CHARS = 220


def tense_of(text: str, start: int, end: int) -> str | None:
    """The tense of the clause holding ``text[start:end]``; ``None`` when the
    clause does not say.

    Words are tried nearest first, alternating left and right, first inside
    the soft clause (cut at "and" and "but"), then in the whole clause.
    """
    found, whole = _tense_within(text, start, end, _REACH_CHARS, _REACH_WORDS)
    if found is None and not whole and _fronted(text, start):
        # Nothing near a date that opens its sentence: a long clause may
        # give its verb further on ("In January, a week after the
        # anniversary of ..., a bomb killed ...").
        found, _ = _tense_within(text, start, end, _FAR_CHARS, _FAR_WORDS)
    return found


def core_tense_of(text: str, start: int, end: int) -> str | None:
    """The tense of the clause itself, never of a trailing attribution
    (", officials said")."""
    return _tense_within(text, start, end, _REACH_CHARS, _REACH_WORDS, core=True)[0]


_SENTENCE_OPENING = re.compile(r"(?:\A|[.!?\n][\"'’”)]?\s{1,3})(?:[A-Za-z]{1,12}\s{1,3}){0,3}\Z")


def _fronted(text: str, start: int) -> bool:
    """Whether at most three words stand between the sentence's start and ``start``."""
    return _SENTENCE_OPENING.search(text, max(0, start - 60), start) is not None


def _tense_within(
    text: str, start: int, end: int, chars: int, reach: int, core: bool = False
) -> tuple[str | None, bool]:
    """The tense found within ``reach`` words and ``chars`` characters, and
    whether that window held the whole clause (so a wider one adds nothing);
    ``core`` always leaves out a trailing attribution."""
    left, right = clause_bounds(text, start, end, reach=chars)
    cut_short = False
    if chars == _REACH_CHARS and _RELATIVE_START.search(text, max(0, left - 6), left):
        # "Chirac, who turned 74 on Wednesday, is ...": the relative clause
        # ends at its comma (the wider search, tried when this says
        # nothing, keeps the whole clause)
        comma = text.find(",", end, right)
        if comma >= 0:
            right = comma
            cut_short = True
    before = _WORD.findall(text[left:start].lower())
    said = _ATTRIBUTION.search(text, end, right)
    if said is not None and (
        core
        or any(w in _SIGNAL_WORDS or w.endswith(_SIGNAL_ENDINGS) for w in before)
        or (left > 0 and text[left - 1] in _QUOTE_MARKS)
    ):
        # "will resume in May, an official said": the attribution's tense is
        # not the event's, nor after a quotation ("... erosions'' after the
        # July 1 handover, the spokesman said"); but in "In a speech in
        # March, the president said ..." the fronted date, with no verb
        # before it, is the saying's
        right = said.start()
    after = _WORD.findall(text[end:right].lower())
    whole = (
        not cut_short
        and (left > start - chars or left == 0)
        and (right < end + chars or right == len(text))
        and len(before) <= reach
        and len(after) <= reach
    )
    before = before[-reach:]
    if before and before[-1] == "effective":
        # "effective Feb. 1": a change either side of today, the nearer
        return PRESENT, True
    words = before + after[:reach]
    return _search(words, len(before), _WEEKDAY_START.match(text, start) is None), whole


def _search(words: list[str], n: int, month: bool = True) -> str | None:
    """The tense the nearest word that shows one signals; the word list holds
    ``n`` words before the expression and the rest after it."""
    soft_lo = max((i + 1 for i in range(n) if words[i] in _SOFT_WORDS), default=0)
    soft_hi = min((i for i in range(n, len(words)) if words[i] in _SOFT_WORDS), default=len(words))
    # Nearest first, left before right: the soft clause, then the words
    # outside it (soft_lo <= n <= soft_hi, so only one bound needs a test).
    for lo, hi, again in ((soft_lo, soft_hi, False), (0, len(words), True)):
        li, ri = n - 1, n
        while li >= lo or ri < hi:
            if li >= lo and not (again and li >= soft_lo):
                tense = _classify(words, li, n, month)
                if tense is not None:
                    return tense
            if ri < hi and not (again and ri < soft_hi):
                tense = _classify(words, ri, n, month)
                if tense is not None:
                    return tense
            li -= 1
            ri += 1
    return None
