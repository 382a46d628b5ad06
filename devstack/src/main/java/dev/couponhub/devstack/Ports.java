package dev.couponhub.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Checks and picks TCP ports on the loopback address every devstack server binds to. */
final class Ports {

    static final String HOST = "127.0.0.1";

    private Ports() {
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByName(HOST);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("127.0.0.1 cannot be resolved", e);
        }
    }

    /** True when nothing listens on {@code 127.0.0.1:port} (a listener on 0.0.0.0 counts as in use). */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(loopback(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Picks {@code count} distinct free ports (all held open together, then released). */
    static List<Integer> pickFree(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(loopback(), 0));
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new DevstackException("Could not find a free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a probe socket; nothing to do
                }
            }
        }
    }
}
