package ai.interviewinsights.adapters.apivideo;

/**
 * What became of one webhook delivery. The HTTP edge answers 2xx to everything but {@link Rejected} (api.video
 * retries any answer above 299, three times, 3 s apart), and 401 or 400 to a rejection.
 */
public sealed interface WebhookVerdict {

    /** First delivery of this event: the handler ran and returned normally. */
    record Processed(ApiVideoEvent event) implements WebhookVerdict {
    }

    /** This event was already processed (or is being processed right now): the handler did not run again. */
    record Duplicate(ApiVideoEvent event) implements WebhookVerdict {
    }

    /** Correctly signed, but an event type this adapter does not handle. */
    record Ignored(String type) implements WebhookVerdict {
    }

    /**
     * Not accepted. The reason never quotes the signature, the secret or the body.
     *
     * @param code {@code webhook.missing_signature}, {@code webhook.bad_signature}, {@code webhook.malformed} or
     *             {@code webhook.too_large}
     */
    record Rejected(String code, String reason) implements WebhookVerdict {

        /** Whether the delivery failed authentication (answer 401) rather than being malformed (answer 400). */
        public boolean unauthenticated() {
            return code.equals("webhook.missing_signature") || code.equals("webhook.bad_signature");
        }
    }
}
