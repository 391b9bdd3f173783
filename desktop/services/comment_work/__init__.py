"""Comment work beyond the log's basic use cases: who may work on which comment (the three
monitoring bodies of the policy) and re-routing a comment to another ministry."""
