package io.retrainer.web.api;

import io.retrainer.core.ConflictException;
import io.retrainer.core.InvalidInputException;
import io.retrainer.core.NotFoundException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns failures into JSON error responses: {@code {"error": "...", "problems": [...]}}. */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** Responds with the status and message that fit {@code error}. */
    public static void respond(RoutingContext ctx, Throwable error) {
        if (error instanceof InvalidInputException e) {
            send(ctx, 400, new JsonObject().put("error", "invalid input: " + e.problems().size() + " problem(s)")
                    .put("problems", new JsonArray(e.problems())));
        } else if (error instanceof NotFoundException) {
            send(ctx, 404, new JsonObject().put("error", error.getMessage()));
        } else if (error instanceof ConflictException) {
            send(ctx, 409, new JsonObject().put("error", error.getMessage()));
        } else if (error instanceof BadRequest) {
            send(ctx, 400, new JsonObject().put("error", error.getMessage()));
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), error);
            send(ctx, 500, new JsonObject().put("error", "internal error: " + error.getMessage()));
        }
    }

    /** Sends a JSON error with {@code status}. */
    public static void send(RoutingContext ctx, int status, String message) {
        send(ctx, status, new JsonObject().put("error", message));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** A client error with a message that says what is wrong and where. */
    public static final class BadRequest extends RuntimeException {
        /** Creates the error. */
        public BadRequest(String message) {
            super(message);
        }
    }
}
