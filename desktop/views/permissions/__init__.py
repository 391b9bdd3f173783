"""The Permissions tab: the people × accounts matrix, its item model and the grant dialog."""
