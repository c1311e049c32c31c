package ai.interviewinsights.app.browser;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A UDP path between the browser and the local realtime endpoint that the test can cut, the way a network drops a
 * call: the browser's and the endpoint's ICE candidates are rewritten (in the SDP, on the runner's WebSocket) to
 * point at this relay, which forwards every datagram both ways until {@link #cut()}. After the cut the browser gets
 * nothing, so its ICE consent expires and its peer connection fails. The endpoint's own consent checks keep being
 * answered here, signed with the browser's ICE password (RFC 8445/5389 short-term credentials), so the endpoint keeps
 * its call until the browser negotiates a new one: only the browser's side of the call breaks.
 */
final class UdpRelay implements AutoCloseable {

    private static final int MAGIC = 0x2112A442;

    private final DatagramSocket towardBrowser;
    private final DatagramSocket towardEndpoint;
    private final byte[] browserPassword;
    private volatile InetSocketAddress browser;
    private volatile InetSocketAddress endpoint;
    private volatile boolean cut;
    volatile int forwarded;
    volatile int answeredForBrowser;

    UdpRelay(InetAddress host, String browserIcePassword) throws SocketException {
        towardBrowser = new DatagramSocket(new InetSocketAddress(host, 0));
        towardEndpoint = new DatagramSocket(new InetSocketAddress(host, 0));
        browserPassword = browserIcePassword.getBytes(StandardCharsets.UTF_8);
        thread("relay-from-browser", this::fromBrowser);
        thread("relay-from-endpoint", this::fromEndpoint);
    }

    /** Where the endpoint should send to reach the browser (its candidate in the offer). */
    InetSocketAddress endpointFacing() {
        return (InetSocketAddress) towardEndpoint.getLocalSocketAddress();
    }

    /** Where the browser should send to reach the endpoint (its candidate in the answer). */
    InetSocketAddress browserFacing() {
        return (InetSocketAddress) towardBrowser.getLocalSocketAddress();
    }

    void endpointAt(InetSocketAddress address) {
        endpoint = address;
    }

    /** From now on the browser hears nothing and is heard by nobody. */
    void cut() {
        cut = true;
    }

    private void fromBrowser() {
        byte[] buffer = new byte[65_536];
        while (!towardBrowser.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            if (!receive(towardBrowser, packet)) {
                return;
            }
            browser = (InetSocketAddress) packet.getSocketAddress();
            InetSocketAddress to = endpoint;
            if (!cut && to != null) {
                send(towardEndpoint, Arrays.copyOf(packet.getData(), packet.getLength()), to);
                forwarded++;
            }
        }
    }

    private void fromEndpoint() {
        byte[] buffer = new byte[65_536];
        while (!towardEndpoint.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            if (!receive(towardEndpoint, packet)) {
                return;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            if (cut) {
                if (isBindingRequest(data)) {
                    send(towardEndpoint, bindingSuccess(data, (InetSocketAddress) packet.getSocketAddress()),
                            (InetSocketAddress) packet.getSocketAddress());
                    answeredForBrowser++;
                }
                continue;
            }
            InetSocketAddress to = browser;
            if (to != null) {
                send(towardBrowser, data, to);
                forwarded++;
            }
        }
    }

    static boolean isBindingRequest(byte[] data) {
        return data.length >= 20 && data[0] == 0 && data[1] == 1 && ByteBuffer.wrap(data, 4, 4).getInt() == MAGIC;
    }

    /** A Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (the browser's password), FINGERPRINT. */
    private byte[] bindingSuccess(byte[] request, InetSocketAddress from) {
        ByteBuffer message = ByteBuffer.allocate(20 + 12 + 24 + 8);
        message.putShort((short) 0x0101).putShort((short) 0).putInt(MAGIC).put(request, 8, 12);
        byte[] ip = from.getAddress().getAddress();
        message.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                .putShort((short) (from.getPort() ^ (MAGIC >>> 16)));
        byte[] cookie = ByteBuffer.allocate(4).putInt(MAGIC).array();
        for (int i = 0; i < 4; i++) {
            message.put((byte) (ip[i] ^ cookie[i]));
        }
        // MESSAGE-INTEGRITY covers everything before it, with the length counting it in.
        message.putShort(2, (short) (12 + 24));
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(browserPassword, "HmacSHA1"));
            mac.update(message.array(), 0, 32);
            hmac = mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        message.putShort((short) 0x0008).putShort((short) 20).put(hmac);
        message.putShort(2, (short) (12 + 24 + 8));
        CRC32 crc = new CRC32();
        crc.update(message.array(), 0, 56);
        message.putShort((short) 0x8028).putShort((short) 4).putInt((int) (crc.getValue() ^ 0x5354554eL));
        return message.array();
    }

    private static boolean receive(DatagramSocket socket, DatagramPacket packet) {
        try {
            socket.receive(packet);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void send(DatagramSocket socket, byte[] data, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            // a datagram lost, as on any network
        }
    }

    private static void thread(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        towardBrowser.close();
        towardEndpoint.close();
    }
}
