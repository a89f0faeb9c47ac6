#include "compress/decompressor.hpp"

namespace dltdump::compress {

std::unique_ptr<Decompressor> make_decompressor(Codec codec) {
  switch (codec) {
    case Codec::Gzip: return make_gzip_decompressor();
    case Codec::Zstd: return make_zstd_decompressor();
    case Codec::Xz: return make_xz_decompressor();
    case Codec::Bzip2: return make_bzip2_decompressor();
  }
  return make_gzip_decompressor();
}

}  // namespace dltdump::compress
