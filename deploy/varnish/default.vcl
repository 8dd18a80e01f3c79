# Varnish 7.1 in front of news-graph (needs varnish-modules for xkey; Debian: apt-get install
# varnish varnish-modules). It keeps the public's GET answers for as long as their Cache-Control's
# s-maxage says, files each under the keys of its xkey header, and drops them when the purger asks.
# docs/edge.md says how it fits together. Run it with, e.g.:
#
#   varnishd -F -a :6081 -f deploy/varnish/default.vcl -s malloc,256m
#
# and set TRUST_PROXY_HOPS=1 on the server, which then reads the client's address from the
# X-Forwarded-For that Varnish adds (rate limits are per client address).
#
# Purges. The one request this VCL purges by:
#
#   PURGE /<any path> HTTP/1.1
#   xkey: <key> <key> ...            (space- or comma-separated, as the answers' xkey lists them)
#
# drops every object filed under any of the keys (xkey.purge): the next request for each is a miss.
# With `xkey-softpurge: <keys>` instead, they are only marked stale (xkey.softpurge), and served
# stale while a fresh copy is fetched. The purger sends `xkey`: a change can be a correction or a
# withdrawal, and a soft purge would keep serving what it replaced until the refetch lands, which is
# what purging is for avoiding (stale-while-revalidate still applies to answers that only aged).
# The answer: 200 with the header `xkey-purged: <objects purged>` (also in the body); 403 from an
# address outside the `purgers` ACL; 400 without either header.
vcl 4.1;

import xkey;

# The news-graph server.
backend default {
    .host = "127.0.0.1";
    .port = "4000";
}

# Who may purge: this machine. Add the purger's addresses or networks (e.g. "10.1.0.0"/16;) here,
# and reload (varnishreload, or varnishadm vcl.load + vcl.use).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            set req.http.xkey-purged = xkey.purge(req.http.xkey);
        } elsif (req.http.xkey-softpurge) {
            set req.http.xkey-purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "PURGE needs an xkey (or xkey-softpurge) header"));
        }
        return (synth(200, "Purged"));
    }
    # live transports go straight through: WebSocket upgrades, and event streams (which a pass
    # would cut at send_timeout)
    if (req.http.Upgrade ~ "(?i)websocket" || req.http.Accept ~ "(?i)text/event-stream") {
        return (pipe);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # an editor's token, or credentials of any other kind: answered for them alone, never kept
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    return (hash);
}

sub vcl_pipe {
    if (req.http.Upgrade) {
        set bereq.http.Upgrade = req.http.Upgrade;
        set bereq.http.Connection = req.http.Connection;
    }
}

sub vcl_hash {
    # the media type asked for decides the answer's Content-Type and the status of errors (the
    # server also says Vary: Accept); the builtin vcl_hash adds the URL and the host
    hash_data(req.http.Accept);
}

sub vcl_backend_response {
    # only what the server marks public is kept (/health, /ready and errors are not); anything else
    # is fetched anew for each request, without queueing them behind one another
    if (beresp.http.Cache-Control !~ "(?i)(^|[ ,])public([ ,]|$)") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Varnish itself takes the TTL from s-maxage, and the grace (how long past it an answer is
    # served while a fresh one is fetched) from stale-while-revalidate
    if (beresp.http.Content-Type ~ "json") {
        set beresp.do_gzip = true;
    }
}

sub vcl_deliver {
    # for debugging (and the tests): HIT from the cache, MISS fetched and kept, PASS never kept
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
        # the id of the request that filled the cache, not this one's
        unset resp.http.X-Request-Id;
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this cache: clients never need them (they name nothing a reader cannot see,
    # but a page can carry a hundred). Ask the server itself to see an answer's keys.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.http.Cache-Control = "no-store";
        if (resp.status == 200) {
            set resp.http.xkey-purged = req.http.xkey-purged;
            set resp.body = "Purged " + req.http.xkey-purged + " objects" + {"
"};
        } else {
            set resp.body = resp.reason + {"
"};
        }
        return (deliver);
    }
}
