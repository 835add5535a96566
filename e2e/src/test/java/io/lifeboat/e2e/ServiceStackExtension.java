package io.lifeboat.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a {@link ServiceStack} to test constructors and methods. The stack starts on first use and is
 * kept in the root context's store, so every test class of the JVM shares one set of service
 * processes; JUnit closes it (stopping the services) when the whole run ends.
 */
public final class ServiceStackExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ServiceStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServiceStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(ServiceStack.class, key -> ServiceStack.start(ServiceStack.locateRepoRoot()), ServiceStack.class);
    }
}
