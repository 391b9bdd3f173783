"""The Comments tab: the citizen comment response log, its item model and its dialogs."""
