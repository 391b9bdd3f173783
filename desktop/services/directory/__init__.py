"""The directory of key contacts per ministry that routing and replies quote."""
