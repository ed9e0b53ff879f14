"""`format`: the canonical rewrite, which never changes what the backlog means.

- ``canonical``: one text to canonical Markdown with mdformat (``format_text``), refusing
  (``UnsafeFormat``) when the model would change; ``state``, ``protect`` and ``restyle`` are its
  pass: what is set aside before mdformat, the file's own style after it;
- ``equivalence``: the guard, comparing the backlog models before and after;
- ``preferences``: field names, spellings, style and order, when the config asks for them;
- ``files``: `format` over files (bytes, the cache, parallel workers, the outcome);
- ``backlog_md``: Backlog.md's marker blocks, kept byte for byte; ``mdformat_linear``: two of
  mdformat's quadratic spots made linear.
"""
