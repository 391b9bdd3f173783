"""Approval use cases beyond the tracker's core: account status that follows approvals,
official content, and the register of personal names with the Government's name."""
