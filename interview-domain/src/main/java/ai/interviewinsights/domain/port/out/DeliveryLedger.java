package ai.interviewinsights.domain.port.out;

/**
 * Which deliveries of an at-least-once sender (a webhook) have been claimed for processing, shared by every
 * control-plane instance: the first claim of a key wins wherever it lands, a repeat is a duplicate. A handler that
 * fails releases its claim, so the sender's retry is processed.
 */
public interface DeliveryLedger {

    /** True for the first claim of {@code key} from {@code source}; false when it is claimed already. */
    boolean claim(String source, String key);

    /** Forgets a claim (the processing failed; the retry should run). */
    void release(String source, String key);
}
