#!/usr/bin/env bash
# Builds a small Java 17 base image as a `docker save` tar, offline, from what a Debian build machine already
# has: a jlink'd runtime of the build JDK plus the Debian packages it needs (glibc, libgcc, libstdc++, zlib)
# and bash for the health check, copied file by file from `dpkg -L`. Jib uses it as `tar://` base image in
# CI, where no registry (and so no eclipse-temurin image) can be reached. Releases use eclipse-temurin.
#
#   deploy/image/build-base-image.sh OUTPUT.tar
#
# The same inputs (this script, the JDK, the Debian packages' versions) give the same image, so an OUTPUT built from
# them is kept (OUTPUT.key records them): every image module's build names one shared OUTPUT, and only the first
# pays for jlink. OUTPUT is replaced atomically, so builds running at once never see half a file.
#
# Needs: a JDK 17 with jmods (JAVA_HOME or the java on PATH), dpkg, GNU tar, sha256sum. No root, no network.
set -euo pipefail

out=${1:?usage: build-base-image.sh OUTPUT.tar}
packages=(libc6 libgcc-s1 libstdc++6 zlib1g bash libtinfo6)

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[[ -x $java_home/bin/jlink && -d $java_home/jmods ]] || { echo "build-base-image: no jlink/jmods in $java_home" >&2; exit 1; }
command -v dpkg >/dev/null || { echo "build-base-image: dpkg not found (a Debian build machine is needed)" >&2; exit 1; }

key=$( { sha256sum <"${BASH_SOURCE[0]}"; readlink -f "$java_home"; cat "$java_home/release" 2>/dev/null
         dpkg-query -W "${packages[@]}"; } | sha256sum | cut -d' ' -f1)
if [[ -s $out && -f $out.key && $(<"$out.key") == "$key" ]]; then
    echo "base image: $out (up to date)"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work" "$out.$$.tmp"' EXIT
root=$work/rootfs
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/etc "$root"/opt/java "$root"/tmp "$root"/proc "$root"/sys "$root"/dev
# merged /usr, as in Debian bookworm
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"

# the Debian packages, exactly the files dpkg installed (documentation and translations left out)
for p in "${packages[@]}"; do
    dpkg -L "$p" >/dev/null 2>&1 || { echo "build-base-image: package $p is not installed" >&2; exit 1; }
    while IFS= read -r f; do
        case $f in /usr/share/doc/*|/usr/share/man/*|/usr/share/info/*|/usr/share/locale/*|/usr/share/lintian/*) continue ;; esac
        [[ -f $f || -L $f ]] || continue
        real=$(readlink -f "$(dirname "$f")")/$(basename "$f")   # canonical (/usr) path of the entry
        mkdir -p "$root$(dirname "$real")"
        cp -a "$real" "$root$real" 2>/dev/null || cp -a "$f" "$root$real"
    done < <(dpkg -L "$p")
done

# the Java runtime: every module of the JDK but the incubating ones, without debug symbols, headers and man pages
modules=$(cd "$java_home/jmods" && ls -- *.jmod | sed 's/\.jmod$//' | grep -v '^jdk\.incubator\.' | paste -sd, -)
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --output "$root/opt/java/openjdk"
# Debian's JDK keeps the CA certificates outside its jmods: take the machine's Java trust store
if [[ ! -s $root/opt/java/openjdk/lib/security/cacerts ]]; then
    cp -L "$java_home/lib/security/cacerts" "$root/opt/java/openjdk/lib/security/cacerts"
fi

printf 'root:x:0:0:root:/root:/bin/bash\ncouponhub:x:10001:10001:couponhub:/tmp:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\ncouponhub:x:10001:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# `docker save` layout: one layer, its config and a manifest
mkdir -p "$work/image"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime='2000-01-01 00:00Z' -C "$root" -cf "$work/image/layer.tar" .
diff_id=$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)
java_version=$("$root/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
cat >"$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2000-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/opt/java/openjdk","JAVA_VERSION=$java_version","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"2000-01-01T00:00:00Z","created_by":"deploy/image/build-base-image.sh"}]}
JSON
config_id=$(sha256sum "$work/image/config.json" | cut -d' ' -f1)
mv "$work/image/config.json" "$work/image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["couponhub/base-jre:17"],"Layers":["layer.tar"]}]\n' "$config_id" \
    >"$work/image/manifest.json"
mkdir -p "$(dirname "$out")"
tar --numeric-owner --owner=0 --group=0 -C "$work/image" -cf "$out.$$.tmp" manifest.json "$config_id.json" layer.tar
mv -f "$out.$$.tmp" "$out"
echo "$key" >"$out.$$.key" && mv -f "$out.$$.key" "$out.key"
echo "base image: $out ($(du -h "$out" | cut -f1), Java $java_version)"
