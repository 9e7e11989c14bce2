"""The coach's rules: what a pitch, a promise, a leading or double question looks like in a
note or a guide's question, in the languages the app hears, and the probes it offers."""
