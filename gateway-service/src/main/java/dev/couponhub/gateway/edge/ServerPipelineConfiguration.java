package dev.couponhub.gateway.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.netty.NettyPipeline;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ProtocolProblems} right after the HTTP codec and {@link KeepAliveReads} right after Reactor Netty's
 * traffic handler of every connection the server accepts.
 */
@Configuration(proxyBeanMethods = false)
class ServerPipelineConfiguration {

    @Bean
    NettyServerCustomizer protocolProblems(ObjectMapper json, ServerProperties server) {
        ProtocolProblems handler = new ProtocolProblems(json,
                (int) server.getNetty().getMaxInitialLineLength().toBytes(),
                server.getMaxHttpRequestHeaderSize().toBytes());
        return http -> http.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
                    && channel.pipeline().get(ProtocolProblems.NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, ProtocolProblems.NAME, handler);
            }
        });
    }

    @Bean
    NettyServerCustomizer keepAliveReads() {
        KeepAliveReads handler = new KeepAliveReads();
        return http -> http.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null
                    && channel.pipeline().get(KeepAliveReads.NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpTrafficHandler, KeepAliveReads.NAME, handler);
            }
        });
    }
}
