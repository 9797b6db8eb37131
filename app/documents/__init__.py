"""Printed documents (ReportLab): the Nghị định 30/2020 frame and one module per document."""
