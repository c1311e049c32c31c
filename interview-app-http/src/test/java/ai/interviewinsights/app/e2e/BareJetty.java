package ai.interviewinsights.app.e2e;

import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The floor of a runner's start (docs/performance.md): a Jetty server with one handler and one WebSocket mapping and
 * nothing of ours, as a runner serves (ADR 0027), started from the runners' jar with the runners' flags and an
 * archive of its own, printing the runners' READY line once it listens. Only the benchmark starts it.
 */
public final class BareJetty {

    private BareJetty() {
    }

    public static void main(String[] args) throws Exception {
        // As the runner does (RunnerServer): Jetty would otherwise start the JMX platform server to ask this.
        System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        Server server = new Server(new QueuedThreadPool(16, 1));
        ServerConnector connector = new ServerConnector(server, 0, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServerWebSocketContainer container = ServerWebSocketContainer.ensure(server);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (container.upgrade((upgrade, upgradeResponse, upgradeCallback) -> new Echo(), request, response,
                        callback)) {
                    return true;
                }
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        server.start();
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + connector.getLocalPort());
        System.out.flush();
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "1000"));
        server.stop();
        System.exit(0);
    }

    /** The WebSocket's listener: echoes text. Public because Jetty binds a listener's methods through a public lookup. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String text) {
            getSession().sendText(text, null);
        }
    }
}
