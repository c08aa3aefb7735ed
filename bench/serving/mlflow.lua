-- One-row MLflow-style request to the demo endpoint (breast cancer, 30 numeric features).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
