package ai.interviewinsights.app.web;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsHandlerType;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a running Javalin app actually serves, as {@code "METHOD /path/{param}"} (a WebSocket as
 * {@code GET}, which is how its upgrade arrives). Read from the router itself, so that the OpenAPI document can be
 * checked against what is served rather than against a second hand-written list.
 */
public final class ServedRoutes {

    private ServedRoutes() {
    }

    public static Set<String> of(Javalin app) {
        Set<String> routes = new TreeSet<>();
        var router = app.unsafe.internalRouter;
        router.allHttpHandlers().forEach(parsed -> {
            HandlerType method = parsed.endpoint.method;
            // HEAD and OPTIONS are answered by the server itself (and CORS); filters are not routes.
            if (method.isHttpMethod() && !method.equals(HandlerType.HEAD) && !method.equals(HandlerType.OPTIONS)) {
                routes.add(method.name() + " " + parsed.endpoint.path);
            }
        });
        router.allWsHandlers().stream().filter(ws -> ws.getType() == WsHandlerType.WEBSOCKET)
                .forEach(ws -> routes.add("GET " + ws.getPath()));
        return routes;
    }
}
