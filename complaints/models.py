"""Models of this area arrive with its issue; the app is registered now so its
URLs and process description exist from the start."""
