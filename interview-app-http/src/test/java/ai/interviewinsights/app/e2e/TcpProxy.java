package ai.interviewinsights.app.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that can be taken down and brought back on the same port: what runners see of a
 * control plane that becomes unreachable (open connections cut, new ones reset at once) and then returns. The
 * performance benchmark also puts one in front of the fake OpenAI: a relay that only moves bytes, the floor of what
 * any relay's extra hop costs.
 *
 * <p>The listening socket stays bound while the forwarder is down: it accepts and resets every new connection
 * (SO_LINGER 0) instead of closing the port, because a port released for a minute can be taken by another process
 * on a shared machine, and the forwarder then cannot come back (this failed a fidelity run once).
 */
final class TcpProxy implements AutoCloseable {

    private final int port;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private volatile boolean down;

    /** @param port where it listens (0: a free port, then read with {@link #port()}) */
    TcpProxy(int port, int target) throws IOException {
        this.target = target;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.port = server.getLocalPort();
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return port;
    }

    /** Forwards new connections again. */
    void up() {
        down = false;
    }

    /** Resets new connections and cuts the open ones. */
    void down() throws IOException {
        down = true;
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    client.setSoLinger(true, 0); // a reset, as close to a refused connection as a bound port gets
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                // Bytes go on as they come: no Nagle delay on a forwarded chunk (the benchmark's floor of a hop).
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return; // closed for good
                }
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // either side closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        down();
        server.close();
    }
}
