"""What a municipality's IT operations run Samstem with, on several workers and hosts.

  readiness.py    whether the database answers and its schema is the code's (/readyz)
  views.py        /healthz and /readyz for the load balancer: unauthenticated, "ok" or nothing
  request_log.py  one JSON line per request (SAMSTEM_LOG_FORMAT=json): request id, user id,
                  endpoint, method, status, duration; never a path, a token, an answer or a name
  metrics.py      Prometheus counts and latencies by endpoint name (SAMSTEM_METRICS=1), served
                  only to the addresses SAMSTEM_METRICS_ALLOW names
The lock that keeps a scheduled command to one run at a time is app/schedule_lock.py; the
gunicorn settings are gunicorn.conf.py, the systemd units deploy/.
"""
