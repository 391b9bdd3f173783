"""Images and videos in replies: the copyright/permission acknowledgement each one needs."""
