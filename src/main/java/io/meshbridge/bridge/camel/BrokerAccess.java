package io.meshbridge.bridge.camel;

/**
 * What every broker bridge's settings share: the user and password, and the TLS files (a CA to trust, a client
 * certificate and its key, PEM). Values are kept as the route template gives them; each settings class checks
 * them when it builds its connection. Setters only: nothing reads a secret back out of
 * the bean. Not thread-safe: configured once, then read.
 */
public abstract class BrokerAccess {

    String user = "";
    String password = "";
    String tlsCa = "";
    String tlsCert = "";
    String tlsKey = "";

    BrokerAccess() {
    }

    /** {@code user <name>|none, password set|none}: what a description may say of the access (never the password). */
    final String describeAccess() {
        return "user " + (Params.text(user) == null ? "none" : user) + ", password "
                + (password == null || password.isEmpty() ? "none" : "set");
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTlsCa(String tlsCa) {
        this.tlsCa = tlsCa;
    }

    public void setTlsCert(String tlsCert) {
        this.tlsCert = tlsCert;
    }

    public void setTlsKey(String tlsKey) {
        this.tlsKey = tlsKey;
    }
}
