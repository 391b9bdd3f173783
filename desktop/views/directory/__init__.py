"""The key-contacts directory of the ministries."""
