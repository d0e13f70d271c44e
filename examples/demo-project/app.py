# A minimal Flask-style app for the demo: the wizard never runs it.
def app(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello from Zappa']
