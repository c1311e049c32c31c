package ai.interviewinsights.domain.model.sdp;

/**
 * Bounds applied before anything else: a browser offer is a few kilobytes, so anything beyond the limit is junk
 * or an attack and is refused without being read whole.
 *
 * @param maxBytes the largest description accepted, in UTF-8 bytes (default 64 KiB)
 */
public record SdpLimits(int maxBytes) {

    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    public SdpLimits {
        if (maxBytes < 64 || maxBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBytes must be between 64 bytes and 16 MiB");
        }
    }

    public static SdpLimits defaults() {
        return new SdpLimits(DEFAULT_MAX_BYTES);
    }
}
