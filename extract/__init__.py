"""The key-totals extractor: budget (预算) and final-account (决算) PDFs in, figures with
their evidence and checks out. It stands alone: it knows nothing of the crawler or the
archive (the archive calls it).

- `extract.document.extract_pdf(path)`: the whole extraction of one file;
- `extract.fields`: the fields it gives;
- `extract.titles`: what a disclosure's title says (also used by the crawler).

Importing this package is cheap; the PDF libraries load with `extract.document`.
"""
