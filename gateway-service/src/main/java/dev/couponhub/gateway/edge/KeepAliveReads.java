package dev.couponhub.gateway.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Keeps reading a client's keep-alive connection after every answer. Reactor Netty's server (1.2.18, the newest
 * the 1.2 line has) reads a connection on demand and can forget to ask for the next read: when a request arrives
 * before the previous answer's operations have ended it is queued, and if that queued request is then answered at
 * once (a 401, a 404, the web app's page) the queue drains without a read being asked for. The connection then hangs
 * until the client gives up, and the client sees its next request unanswered (reactor-netty issue 4361, fixed
 * upstream only in the 1.3 line, which needs Spring Boot 4).
 *
 * <p>This handler sits right after Reactor Netty's own traffic handler and sees the event each ended request fires.
 * After the tasks already queued on the connection's event loop (the drain of queued requests among them), it asks
 * for a read if the connection is open and no request is being answered. A read asked for twice is harmless (Netty
 * keeps one pending read); reads while a request is being answered stay with Reactor Netty.
 */
@ChannelHandler.Sharable
final class KeepAliveReads extends ChannelInboundHandlerAdapter {

    /** The handler's name in each connection's pipeline. */
    static final String NAME = "couponhub.keepAliveReads";

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        Channel channel = ctx.channel();
        ctx.executor().execute(() -> {
            if (channel.isActive() && !(ChannelOperations.get(channel) instanceof HttpServerRequest)) {
                channel.read();
            }
        });
        super.userEventTriggered(ctx, event);
    }
}
