package ai.interviewinsights.app.controlplane.api;

import ai.interviewinsights.app.web.BadRequest;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web client: the admin console ({@code /}, {@code /admin}) and the interview room ({@code /interview/<token>}
 * for an invite link, {@code /room} for a session staff started), plain HTML, CSS and JavaScript modules from
 * {@code resources/web}, no build step. Every page carries a strict Content-Security-Policy: scripts and styles
 * from this origin only (no inline code at all), no framing, no plugins.
 */
public final class WebRoutes {

    /** The files under resources/web that may be served, with their content types; nothing else is. */
    static final Map<String, String> ASSETS = Map.of(
            "app.css", "text/css; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "room.js", "text/javascript; charset=utf-8",
            "admin.js", "text/javascript; charset=utf-8",
            "recorder.js", "text/javascript; charset=utf-8",
            "messages.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final byte[] roomPage;
    private final byte[] adminPage;
    private final String contentSecurityPolicy;

    /**
     * @param connectSources origins the pages may connect to besides their own: the runners' WebSockets (a Fly
     *                       app per tenant, or a local port), the recording upload endpoint, Supabase Auth
     * @param mediaSources   origins the report's player may load recordings from (api.video's delivery hosts)
     */
    public WebRoutes(List<String> connectSources, List<String> mediaSources) {
        ASSETS.keySet().forEach(name -> assets.put(name, load("/web/" + name)));
        roomPage = load("/web/room.html");
        adminPage = load("/web/admin.html");
        contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " media-src 'self' blob: mediastream:" + mediaSources.stream().map(s -> " " + s)
                        .collect(java.util.stream.Collectors.joining())
                + "; connect-src 'self' " + String.join(" ", connectSources)
                + "; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    public void install(JavalinConfig config) {
        var r = config.routes;
        r.get("/", ctx -> page(ctx, adminPage));
        r.get("/admin", ctx -> page(ctx, adminPage));
        // The invite link's token stays in the path: the page reads it, the server never logs paths with it.
        r.get("/interview/{token}", ctx -> page(ctx, roomPage));
        r.get("/room", ctx -> page(ctx, roomPage));
        r.get("/assets/{name}", ctx -> {
            String name = ctx.pathParam("name");
            byte[] body = assets.get(name);
            if (body == null) {
                throw new BadRequest(404, "asset.not_found", "no such file");
            }
            headers(ctx);
            ctx.contentType(ASSETS.get(name)).header("Cache-Control", "no-cache").result(body);
        });
    }

    private void page(Context ctx, byte[] html) {
        headers(ctx);
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(html);
    }

    private void headers(Context ctx) {
        ctx.header("Content-Security-Policy", contentSecurityPolicy)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Permissions-Policy", "camera=(self), microphone=(self), geolocation=(), payment=()");
    }

    private static byte[] load(String resource) {
        try (InputStream in = WebRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
