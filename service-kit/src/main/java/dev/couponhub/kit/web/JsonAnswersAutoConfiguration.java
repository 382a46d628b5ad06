package dev.couponhub.kit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * JSON answers of a servlet service with their {@code Content-Length} ({@link SizedJsonHttpMessageConverter}), in
 * place of Boot's own converter, with the same {@code ObjectMapper}. {@code couponhub.web.sized-json=false} gives back
 * Boot's converter.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, before = HttpMessageConvertersAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ObjectMapper.class, MappingJackson2HttpMessageConverter.class})
@ConditionalOnProperty(name = "couponhub.web.sized-json", havingValue = "true", matchIfMissing = true)
public class JsonAnswersAutoConfiguration {

    @Bean
    @ConditionalOnBean(ObjectMapper.class)
    @ConditionalOnMissingBean(MappingJackson2HttpMessageConverter.class)
    SizedJsonHttpMessageConverter sizedJsonHttpMessageConverter(ObjectMapper objectMapper) {
        return new SizedJsonHttpMessageConverter(objectMapper);
    }
}
