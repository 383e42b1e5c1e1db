"""Input and output around the pipeline.

- :mod:`.inputs`: text, HTML, JSON Lines and standard input as documents;
- :mod:`.dateline`: the publish date written at the head of an article;
- :mod:`.serialize`: the values as plain dicts and back (the JSON output);
- :mod:`.formats` (with :mod:`.article` and :mod:`.html`): the CLI's output formats;
- :mod:`.timeml`: TimeML and CAT XML documents with their gold TIMEX3s (corpus
  readers, and an input kind of the CLI);
- :mod:`.cat` and :mod:`.semeval`: token-numbered documents and SemEval-2015
  entity timelines.
"""
