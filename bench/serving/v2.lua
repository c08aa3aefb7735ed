-- One-row Open Inference Protocol (V2) request with one 2-D FP64 tensor (breast cancer, 30 numeric features).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
