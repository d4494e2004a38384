// Classifies the held-out digits with the digits model linked into this program.
//
// Prints the accuracy and exits with status 1 if it is below what the training
// script reported (examples/digits/accuracy.txt).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "digits_model.h"
#include "nnc_rt/nnc_rt.h"

namespace {

// Reads a little-endian .npy array (format 1.0) of known element size.
template <typename T> std::vector<T> ReadNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw std::runtime_error(path + ": not a .npy file");
  uint16_t header_length = 0;
  in.read(reinterpret_cast<char *>(&header_length), 2);
  std::string header(header_length, '\0');
  in.read(header.data(), header_length);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

void Check(nnc_status_t status) {
  if (!status)
    return;
  std::string message = nnc_status_message(status);
  nnc_status_free(status);
  throw std::runtime_error(message);
}

} // namespace

int main() {
  try {
    const std::string dir = DIGITS_DIR;
    std::vector<float> images = ReadNpy<float>(dir + "/test_images.npy");
    std::vector<int64_t> labels = ReadNpy<int64_t>(dir + "/test_labels.npy");
    if (images.size() != labels.size() * 64)
      throw std::runtime_error("mismatched test set");

    nnc_model_t *model = nullptr;
    Check(nnc_model_load_static(&digits_model_v0, &model));
    int64_t in_shape[4] = {1, 1, 8, 8}, out_shape[2] = {1, 10};
    float logits[10];
    size_t correct = 0;
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < labels.size(); ++i) {
      nnc_tensor_view_t in = {&images[i * 64], NNC_DTYPE_FLOAT32, 4, in_shape, 64 * sizeof(float)};
      nnc_tensor_view_t out = {logits, NNC_DTYPE_FLOAT32, 2, out_shape, sizeof logits};
      Check(nnc_model_run(model, &in, 1, &out, 1));
      int best = 0;
      for (int k = 1; k < 10; ++k)
        if (logits[k] > logits[best])
          best = k;
      correct += best == labels[i];
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nnc_model_release(model);

    std::ifstream reported_file(dir + "/accuracy.txt"); // "accuracy=0.9889 n=360"
    std::string line;
    std::getline(reported_file, line);
    double reported = std::stod(line.substr(line.find('=') + 1));
    double accuracy = static_cast<double>(correct) / labels.size();
    std::printf(
        "accuracy: %.4f on %zu held-out digits (training reported %.4f), %.3f ms per image\n",
        accuracy, labels.size(), reported, 1e3 * seconds / labels.size());
    return accuracy >= reported - 5e-5 ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "classify_digits: %s\n", e.what());
    return 2;
  }
}
