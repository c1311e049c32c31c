package ai.interviewinsights.adapters.apivideo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} webhook deliveries this instance claimed, oldest forgotten first. api.video retries a
 * failed delivery three times, 3 s apart, so a window of thousands of events is far longer than any retry needs.
 *
 * <p>In memory, so per instance: with several control-plane instances a retry can land on another one. That is
 * safe because the reaction itself ({@code RecordRecordingReadyUseCase}) is idempotent; this set only spares the
 * repeated work (and the repeated calls to api.video) on the instance that saw the first delivery.
 */
final class RecentDeliveries implements ai.interviewinsights.domain.port.out.DeliveryLedger {

    private final Map<String, Boolean> claimed;

    RecentDeliveries(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.claimed = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True for the first claim of a key; false when it was claimed before and not released. */
    synchronized boolean claim(String key) {
        return claimed.putIfAbsent(key, Boolean.TRUE) == null;
    }

    /** Forgets a claim, so a retried delivery is processed again (the handler failed). */
    synchronized void release(String key) {
        claimed.remove(key);
    }

    @Override
    public boolean claim(String source, String key) {
        return claim(source + "|" + key);
    }

    @Override
    public void release(String source, String key) {
        release(source + "|" + key);
    }

    synchronized int size() {
        return claimed.size();
    }
}
