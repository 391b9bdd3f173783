"""File ▸ Import platform file… (the wizard: choose, preview, import) and File ▸ Export
table… (the current tab's table as a spreadsheet)."""
