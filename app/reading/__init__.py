"""Reading received documents: text out of a PDF, a .docx or a scan (``text``), the fields an
administrative document carries (``fields``), their unit, directive and obligation
(``matching``), the digital signature (``signatures``); ``intake`` ties them together per file.

Qt-free. Nothing here writes to the database: recording is the submission service's job, after
the user confirmed what was read.
"""
