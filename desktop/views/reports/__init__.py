"""Reports ▸ …: the dialog that generates a PDF report and the menu actions that open it."""
