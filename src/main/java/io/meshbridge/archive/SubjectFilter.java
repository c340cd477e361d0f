package io.meshbridge.archive;

/** NATS subject matching: {@code *} matches one token, a final {@code >} one or more. Thread-safe. */
final class SubjectFilter {

    private SubjectFilter() {
    }

    static boolean matches(String filter, String subject) {
        String[] f = filter.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(">") && i == f.length - 1) {
                return s.length > i;
            }
            if (i >= s.length || !(f[i].equals("*") || f[i].equals(s[i]))) {
                return false;
            }
        }
        return f.length == s.length;
    }
}
