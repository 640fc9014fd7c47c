"""The auditor's review as a local web app (`jixiao review`): decisions on findings, kept in the database."""
