package ai.interviewinsights.app.web;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client's address as the per-address limits see it: the socket's peer, or, behind a proxy the operator names
 * ({@code CLIENT_IP_HEADER}: {@code Fly-Client-IP} on Fly), the address that proxy says it accepted the connection
 * from. Behind Fly's proxy every request's peer is the proxy itself, so a limit per peer was one bucket for every
 * candidate of every tenant. Only a header the operator names is read (any client can send any header, and a
 * proxy overwrites only its own), and only when it holds an IP literal; otherwise the peer counts.
 *
 * <p>Not Jetty's {@code ForwardedRequestCustomizer}: it also honours {@code Forwarded} and the {@code X-Forwarded-*}
 * headers unless each is switched off, and changes the address everything else sees; one header, read where a limit
 * needs it, is the smaller trust.
 */
public final class ClientAddress {

    /** An HTTP header name an operator may name (a token, bounded). */
    public static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final Optional<String> header;

    public ClientAddress(Optional<String> header) {
        header.ifPresent(name -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a header name: " + name);
            }
        });
        this.header = header;
    }

    /** The peer's address, the socket's own. */
    public static ClientAddress peer() {
        return new ClientAddress(Optional.empty());
    }

    public String of(Context ctx) {
        if (header.isPresent()) {
            String said = ctx.header(header.get());
            if (said != null) {
                String address = said.strip();
                if (IPV4.matcher(address).matches() || address.contains(":") && IPV6.matcher(address).matches()) {
                    return address;
                }
            }
        }
        return ctx.ip();
    }
}
