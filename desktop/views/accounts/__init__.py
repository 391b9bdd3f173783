"""The Accounts tab: the inventory table, its detail panel and the account dialogs."""
