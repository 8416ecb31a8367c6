"""gunicorn's settings for Samstem: `gunicorn wsgi:app` reads this file from the working directory.

Its access log masks respondents' tokens (app/logmask.py): a request line, a path or a
referrer that holds /r/<token> or /o/<token> is written with the token replaced by "…".
"""

from gunicorn.glogging import Logger

from app.logmask import MaskTokens, mask


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {key: mask(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(MaskTokens())


logger_class = TokenMaskingLogger
