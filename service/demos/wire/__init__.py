"""The wire: statuses the server or Flask send by themselves, streamed bodies, and 103 Early Hints."""
