"""Qt widgets: main window, tabs, dialogs, item models. Data only through services."""
