// The engine of the speculative parallel decoders: every piece handed to the check once, in
// order, decoded; no more pieces in flight than allowed; a worker's exception reaches the
// calling thread at its piece's turn; the check can stop the walk.
#include "app/parallel/speculative_window.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dltdump::app {
namespace {

// Pieces 0 .. count-1; piece k decodes to k * k (or throws at `throw_at`).
struct Squares {
  struct Piece {
    std::size_t k = 0;
    std::uint64_t value = 0;
  };
  std::size_t count = 0;
  std::size_t throw_at = SIZE_MAX;
  std::size_t claimed = 0;  // pieces assigned so far (under the window's lock)

  bool exists(std::size_t k) { return k < count; }
  void assign(std::size_t k, Piece& p) {
    EXPECT_EQ(k, claimed);  // once each, in order
    claimed = k + 1;
    p.k = k;
    p.value = 0;
  }
  void decode(Piece& p) {
    if (p.k == throw_at) throw std::runtime_error("piece " + std::to_string(p.k));
    p.value = p.k * p.k;
  }
};

TEST(SpeculativeWindow, HandsOutEveryPieceOnceInOrderDecoded) {
  for (unsigned threads : {1u, 2u, 3u}) {
    Squares source{.count = 200};
    std::vector<std::size_t> seen;
    {
      SpeculativeWindow<Squares> window(source, threads, 2 * threads);
      window.in_order([&](std::size_t k, Squares::Piece& p) {
        EXPECT_EQ(p.k, k);
        EXPECT_EQ(p.value, k * k);
        seen.push_back(k);
        if (k % 3 == 0) window.release(k);  // early: in_order's own release is then a no-op
        return true;
      });
    }
    ASSERT_EQ(seen.size(), 200u) << threads;
    for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], k);
  }
}

TEST(SpeculativeWindow, DecodesNoFurtherAheadThanAllowed) {
  const unsigned threads = 2;
  Squares source{.count = 60};
  SpeculativeWindow<Squares> window(source, threads, 1);
  std::size_t most_ahead = 0;
  window.in_order([&](std::size_t k, Squares::Piece&) {
    // Give the workers time to run as far ahead as they may.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::size_t claimed = window.locked([&] { return source.claimed; });
    const std::size_t ahead = claimed - k;  // piece k is not released yet
    if (k < 30) {
      EXPECT_LE(ahead, 1u) << k;
      if (k == 29) window.widen();
    } else {
      EXPECT_LE(ahead, 2u * threads) << k;
      most_ahead = std::max(most_ahead, ahead);
    }
    return true;
  });
  EXPECT_GT(most_ahead, 1u);  // widened, they do run further
}

TEST(SpeculativeWindow, ADecodeErrorReachesTheCallingThreadAtItsTurn) {
  Squares source{.count = 100, .throw_at = 7};
  std::vector<std::size_t> seen;
  SpeculativeWindow<Squares> window(source, 2, 4);
  try {
    window.in_order([&](std::size_t k, Squares::Piece&) {
      seen.push_back(k);
      return true;
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "piece 7");
  }
  EXPECT_EQ(seen.size(), 7u);  // pieces 0-6, not the one that failed
}

TEST(SpeculativeWindow, TheCheckStopsTheWalk) {
  Squares source{.count = 1000};
  std::size_t last = 0;
  {
    SpeculativeWindow<Squares> window(source, 2, 4);
    window.in_order([&](std::size_t k, Squares::Piece&) {
      last = k;
      return k < 5;
    });
  }  // the workers stop although pieces are left
  EXPECT_EQ(last, 5u);
  EXPECT_LE(source.claimed, 5u + 1u + 4u);
}

TEST(SpeculativeWindow, AnExceptionFromTheCheckPropagates) {
  Squares source{.count = 1000};
  auto walk = [&] {
    SpeculativeWindow<Squares> window(source, 2, 4);
    window.in_order([&](std::size_t k, Squares::Piece&) {
      if (k == 3) throw std::logic_error("check");
      return true;
    });
  };
  EXPECT_THROW(walk(), std::logic_error);
}

}  // namespace
}  // namespace dltdump::app
