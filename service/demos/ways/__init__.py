"""Ways to set a status: a returned tuple, a Response object, abort(), and the app's error handlers."""
