package ai.interviewinsights.app.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections send without Nagle's delay ({@code TCP_NODELAY}), for the fakes that
 * stand in for remote services. MockWebServer flushes a response's headers and its body separately; with Nagle's
 * algorithm on, the body then waits for the client's acknowledgement of the headers, which Linux delays by 40 ms:
 * every exchange with the fake took 40-50 ms (measured against the fake api.video: 90 ms for the two calls of a
 * recording's preparation, 2-5 ms with this). A real service answers in one write or over TLS records; the stall
 * was the fake's, and it was on every session start's path. The fake OpenAI uses them for the same reason (its
 * relay replies).
 */
final class NoDelayServerSockets extends ServerSocketFactory {

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket socket = new NoDelayServerSocket();
        socket.bind(new java.net.InetSocketAddress(port));
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        ServerSocket socket = new NoDelayServerSocket();
        socket.bind(new java.net.InetSocketAddress(port), backlog);
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket socket = new NoDelayServerSocket();
        socket.bind(new java.net.InetSocketAddress(address, port), backlog);
        return socket;
    }

    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = new Socket();
            implAccept(socket);
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
