package io.geocrop.platform.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so a path goes to the server exactly as the attacker writes it ({@code //jobs},
 * {@code %2Fjobs}, {@code ;x=1}): Java's HttpClient would normalise or refuse some of them.
 */
public final class RawHttp {
    private RawHttp() {}

    /** Status code and the raw response (headers and body). */
    public record Reply(int status, String raw) {
        /** The body after the header block. */
        public String body() {
            int i = raw.indexOf("\r\n\r\n");
            return i < 0 ? "" : raw.substring(i + 4);
        }

        /** A response header's value, or null. */
        public String header(String name) {
            for (String line : raw.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends one request on a new connection ({@code Connection: close}) and reads the whole answer. */
    public static Reply send(String host, int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        return send(new InetSocketAddress(host, port), method, path, headers, body, 20_000);
    }

    /** Like {@link #send(String, int, String, String, Map, String)} with a read timeout (an SSE stream never ends). */
    public static Reply send(InetSocketAddress address, String method, String path, Map<String, String> headers,
                             String body, int readTimeoutMillis) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout(readTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    buffer.write(chunk, 0, n);
                    if (readTimeoutMillis < 20_000 && buffer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break; // a stream: the status line and headers are all we wait for
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // a stream that stays open: what arrived is the answer
            } catch (java.net.SocketException e) {
                // the server closed early (a refused body): what arrived is the answer
            }
            String raw = buffer.toString(StandardCharsets.UTF_8);
            if (!raw.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer to " + method + " " + path + ": '" + raw + "'");
            }
            return new Reply(Integer.parseInt(raw.substring(9, 12)), raw);
        }
    }
}
