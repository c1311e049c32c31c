# Sourced by scripts/test and scripts/run: installs the Debian packages the project needs when they are missing.
# Each package is checked by what it provides (a program, a voice, a model, a library), so a machine that has
# them from elsewhere is left alone. Installing needs root or sudo; without either, one line says how.

# Prints the packages among the arguments that are missing here.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    case "$pkg" in
      chromium) command -v chromium >/dev/null 2>&1 || echo chromium ;;
      festival) command -v text2wave >/dev/null 2>&1 || echo festival ;;
      festvox-us-slt-hts) [ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] || echo festvox-us-slt-hts ;;
      pocketsphinx) command -v pocketsphinx_continuous >/dev/null 2>&1 || echo pocketsphinx ;;
      pocketsphinx-en-us) [ -d /usr/share/pocketsphinx/model/en-us/en-us ] || echo pocketsphinx-en-us ;;
      sox) command -v sox >/dev/null 2>&1 || echo sox ;;
      nodejs) command -v node >/dev/null 2>&1 || echo nodejs ;;
      npm) command -v npm >/dev/null 2>&1 || echo npm ;;
      curl) command -v curl >/dev/null 2>&1 || echo curl ;;
      libpulse0) compgen -G '/usr/lib/*/libpulse.so.0' >/dev/null || [ -e /usr/lib/libpulse.so.0 ] || echo libpulse0 ;;
      *) echo "$pkg" ;;
    esac
  done
}

# ensure_packages WHY PACKAGE...: installs the missing ones; returns 1 (after one line saying how) when it cannot.
ensure_packages() {
  local why="$1"; shift
  local need
  need=$(missing_packages "$@" | tr '\n' ' ' | sed 's/ *$//')
  [ -z "$need" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "missing system packages for $why: run as root: apt-get install -y --no-install-recommends $need" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages for $why (Debian names): $need; install them with your package manager" >&2
    return 1
  fi
  echo "installing system packages for $why: $need"
  # shellcheck disable=SC2086
  if ! { $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends $need >/dev/null; }; then
    echo "could not install $need; install them with: sudo apt-get install -y --no-install-recommends $need" >&2
    return 1
  fi
}
