//===- nnc-run.cpp - run a compiled model on ONNX test data ---------------===//
//
// nnc-run MODEL.so|MODEL.onnx --data DIR [--rtol R] [--atol A] [--bench N]
//
// DIR holds input_<i>.pb (and optionally output_<i>.pb) TensorProto files as in
// the ONNX backend test layout. With expected outputs the results are compared
// (|actual - expected| <= atol + rtol * |expected|, as numpy.allclose) and the
// max errors are printed. Exit status: 0 all match, 1 mismatch, 2 any error.
// A .onnx model is compiled first with the nnc-compile next to this tool.
//
//===----------------------------------------------------------------------===//

#include "nnc_rt/nnc_rt.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace cl = llvm::cl;

namespace {
constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;

/// An error that ends the run with exit status 2.
struct Failure {
  std::string message;
};

/// A model loaded through the runtime, released on scope exit.
struct Model {
  nnc_model_t *handle = nullptr;
  ~Model() { nnc_model_release(handle); }
};

void check(nnc_status_t status) {
  if (!status)
    return;
  std::string message = nnc_status_message(status);
  nnc_status_free(status);
  throw Failure{message};
}

/// A dense tensor read from a TensorProto file.
struct HostTensor {
  std::string name;
  nnc_dtype_t dtype;
  std::vector<int64_t> shape;
  std::vector<char> bytes;
};

HostTensor readTensor(const std::string &path) {
  std::ifstream stream(path, std::ios::binary);
  onnx::TensorProto proto;
  if (!stream || !proto.ParseFromIstream(&stream))
    throw Failure{"cannot read TensorProto file '" + path + "'"};
  HostTensor t;
  t.name = proto.name();
  t.dtype = static_cast<nnc_dtype_t>(proto.data_type());
  t.shape.assign(proto.dims().begin(), proto.dims().end());
  size_t width = nnc_dtype_size(t.dtype);
  if (!width)
    throw Failure{"'" + path + "' has an unsupported dtype (" + std::to_string(proto.data_type()) +
                  ")"};
  size_t count = 1;
  for (int64_t d : t.shape)
    count *= static_cast<size_t>(d);
  t.bytes.resize(count * width);
  auto copyTyped = [&](const auto &field) {
    if (static_cast<size_t>(field.size()) != count)
      throw Failure{"'" + path + "' holds " + std::to_string(field.size()) + " values, expected " +
                    std::to_string(count)};
    for (size_t i = 0; i < count; ++i) {
      auto v = field.Get(i);
      switch (t.dtype) {
      case NNC_DTYPE_FLOAT32: {
        float f = static_cast<float>(v);
        std::memcpy(&t.bytes[i * 4], &f, 4);
        break;
      }
      case NNC_DTYPE_FLOAT64: {
        double f = static_cast<double>(v);
        std::memcpy(&t.bytes[i * 8], &f, 8);
        break;
      }
      default: {
        int64_t x = static_cast<int64_t>(v);
        std::memcpy(&t.bytes[i * width], &x, width); // little-endian truncation
        break;
      }
      }
    }
  };
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != t.bytes.size())
      throw Failure{"'" + path + "' has " + std::to_string(proto.raw_data().size()) +
                    " bytes of raw data, expected " + std::to_string(t.bytes.size())};
    if (!t.bytes.empty()) // an empty vector's data() may be null
      std::memcpy(t.bytes.data(), proto.raw_data().data(), t.bytes.size());
  } else if (t.dtype == NNC_DTYPE_FLOAT32) {
    copyTyped(proto.float_data());
  } else if (t.dtype == NNC_DTYPE_FLOAT64) {
    copyTyped(proto.double_data());
  } else if (t.dtype == NNC_DTYPE_INT64) {
    copyTyped(proto.int64_data());
  } else {
    copyTyped(proto.int32_data());
  }
  return t;
}

void writeTensor(const std::string &path, const nnc_tensor_info_t &info, const void *data) {
  onnx::TensorProto proto;
  proto.set_name(info.name);
  proto.set_data_type(info.dtype);
  for (int32_t d = 0; d < info.rank; ++d)
    proto.add_dims(info.shape[d]);
  proto.set_raw_data(data, info.byte_size);
  std::ofstream stream(path, std::ios::binary);
  if (!stream || !proto.SerializeToOstream(&stream))
    throw Failure{"cannot write '" + path + "'"};
}

/// `DIR/<prefix>_<i>.pb` for i = 0, 1, ... while the files exist.
std::vector<std::string> numberedFiles(const std::string &dir, const std::string &prefix) {
  std::vector<std::string> files;
  for (int i = 0;; ++i) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, prefix + "_" + std::to_string(i) + ".pb");
    if (!llvm::sys::fs::exists(path))
      return files;
    files.push_back(std::string(path));
  }
}

double elementAsDouble(const char *data, nnc_dtype_t dtype, size_t i) {
  switch (dtype) {
  case NNC_DTYPE_FLOAT32: {
    float v;
    std::memcpy(&v, data + 4 * i, 4);
    return v;
  }
  case NNC_DTYPE_FLOAT64: {
    double v;
    std::memcpy(&v, data + 8 * i, 8);
    return v;
  }
  case NNC_DTYPE_INT64: {
    int64_t v;
    std::memcpy(&v, data + 8 * i, 8);
    return static_cast<double>(v);
  }
  case NNC_DTYPE_INT32: {
    int32_t v;
    std::memcpy(&v, data + 4 * i, 4);
    return v;
  }
  case NNC_DTYPE_INT8:
    return static_cast<int8_t>(data[i]);
  case NNC_DTYPE_UINT8:
  case NNC_DTYPE_BOOL:
    return static_cast<uint8_t>(data[i]);
  default:
    throw Failure{std::string("comparing ") + nnc_dtype_name(dtype) + " is not supported"};
  }
}

/// Compares like numpy.allclose (NaN equals NaN); prints the max errors.
bool compareOutput(const nnc_tensor_info_t &info, const char *actual, const HostTensor &expected,
                   double rtol, double atol) {
  std::vector<int64_t> shape(info.shape, info.shape + info.rank);
  if (expected.dtype != info.dtype || expected.shape != shape) {
    llvm::outs() << "output '" << info.name << "': expected " << nnc_dtype_name(expected.dtype)
                 << " of " << expected.shape.size() << " dims, model produces "
                 << nnc_dtype_name(info.dtype) << "\n";
    return false;
  }
  size_t count = info.byte_size / std::max<size_t>(nnc_dtype_size(info.dtype), 1);
  double maxAbs = 0, maxRel = 0;
  size_t mismatches = 0;
  for (size_t i = 0; i < count; ++i) {
    double a = elementAsDouble(actual, info.dtype, i);
    double e = elementAsDouble(expected.bytes.data(), expected.dtype, i);
    if (std::isnan(a) && std::isnan(e))
      continue;
    double err = (std::isinf(a) && std::isinf(e) && (a > 0) == (e > 0)) ? 0 : std::fabs(a - e);
    if (std::isnan(err))
      err = INFINITY;
    maxAbs = std::max(maxAbs, err);
    if (e != 0)
      maxRel = std::max(maxRel, err / std::fabs(e));
    if (!(err <= atol + rtol * std::fabs(e)))
      ++mismatches;
  }
  llvm::outs() << "output '" << info.name << "': max_abs_err=" << llvm::format("%.3g", maxAbs)
               << " max_rel_err=" << llvm::format("%.3g", maxRel)
               << (mismatches ? " MISMATCH (" + std::to_string(mismatches) + " of " +
                                    std::to_string(count) + " elements)"
                              : std::string(" ok"))
               << "\n";
  return mismatches == 0;
}

/// Compiles an ONNX model with the nnc-compile beside this executable.
std::string compileModel(const char *argv0, const std::string &model,
                         const std::vector<std::string> &compileArgs) {
  std::string self = llvm::sys::fs::getMainExecutable(argv0, (void *)&compileModel);
  llvm::SmallString<256> compiler(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(compiler, "nnc-compile");
  llvm::SmallString<256> output;
  if (llvm::sys::fs::createTemporaryFile("nnc-run", "so", output))
    throw Failure{"cannot create a temporary file"};
  std::vector<llvm::StringRef> args{compiler.str(), model, "-o", output.str()};
  for (const std::string &a : compileArgs)
    args.push_back(a);
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(compiler, args, std::nullopt, {}, 0, 0, &error);
  if (rc != 0)
    throw Failure{"compiling '" + model + "' failed" + (error.empty() ? "" : ": " + error)};
  return std::string(output);
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // libLLVM registers a --threads of its own; nnc-run's sets the runtime's.
  if (auto *llvmThreads = cl::getRegisteredOptions().lookup("threads"))
    llvmThreads->setArgStr("llvm-threads");
  cl::OptionCategory category("nnc-run options");
  cl::opt<std::string> modelPath(cl::Positional, cl::Required, cl::desc("<model.so|model.onnx>"),
                                 cl::cat(category));
  cl::opt<std::string> dataDir("data", cl::Required,
                               cl::desc("Folder with input_<i>.pb and optional output_<i>.pb"),
                               cl::value_desc("dir"), cl::cat(category));
  cl::opt<double> rtol("rtol", cl::desc("Relative tolerance (default 1e-3)"), cl::init(1e-3),
                       cl::cat(category));
  cl::opt<double> atol("atol", cl::desc("Absolute tolerance (default 1e-5)"), cl::init(1e-5),
                       cl::cat(category));
  cl::opt<unsigned> bench("bench", cl::desc("Timed iterations; prints median_ms and p90_ms"),
                          cl::init(0), cl::cat(category));
  cl::opt<unsigned> warmup("warmup", cl::desc("Untimed iterations before --bench (default 3)"),
                           cl::init(3), cl::cat(category));
  cl::opt<unsigned> warmupMs(
      "warmup-ms",
      cl::desc("Keep warming up until this many milliseconds have passed (default 0): a "
               "process that just started runs on cold caches and a core not yet at full clock"),
      cl::init(0), cl::cat(category));
  cl::opt<int> threads("threads",
                       cl::desc("Threads a run uses, the calling one included (default 1)"),
                       cl::init(1), cl::cat(category));
  cl::opt<std::string> saveOutputs("save-outputs",
                                   cl::desc("Write the outputs as output_<i>.pb into this folder"),
                                   cl::value_desc("dir"), cl::cat(category));
  cl::list<std::string> inputShapes("input-shape", cl::desc("Passed to nnc-compile for .onnx"),
                                    cl::value_desc("NAME=DIMS"), cl::cat(category));
  cl::list<std::string> bindInputs("bind-input", cl::desc("Passed to nnc-compile for .onnx"),
                                   cl::value_desc("NAME=FILE.pb"), cl::cat(category));
  cl::opt<std::string> device(
      "device",
      cl::desc("cpu or cuda: where a .onnx model is compiled to run; for a .so, the device it "
               "must have been compiled for (default: the artifact's)"),
      cl::value_desc("cpu|cuda"), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "nnc-run: runs an nnc-compiled model on test data\n");

  if (!device.empty() && device != "cpu" && device != "cuda") {
    llvm::errs() << "nnc-run: error: unknown --device '" << device << "' (expected cpu or cuda)\n";
    return 2;
  }
  std::string compiled;
  try {
    std::string library = modelPath;
    if (llvm::StringRef(modelPath).ends_with(".onnx") ||
        llvm::StringRef(modelPath).ends_with(".onnxtxt")) {
      std::vector<std::string> compileArgs;
      for (const std::string &s : inputShapes)
        compileArgs.push_back("--input-shape=" + s);
      for (const std::string &s : bindInputs)
        compileArgs.push_back("--bind-input=" + s);
      if (device == "cuda")
        compileArgs.push_back("--target=cuda");
      compiled = library = compileModel(argv[0], modelPath, compileArgs);
    }
    Model model;
    check(nnc_model_load_file(library.c_str(), &model.handle));
    check(nnc_model_set_num_threads(model.handle, threads));
    const char *modelDevice = nnc_model_device(model.handle) == NNC_DEVICE_CUDA ? "cuda" : "cpu";
    if (!device.empty() && device != modelDevice) {
      llvm::errs() << "nnc-run: error: " << modelPath << " was compiled for " << modelDevice
                   << ", not " << device << "\n";
      return 2;
    }
    if (!compiled.empty())
      llvm::sys::fs::remove(compiled);

    // Inputs: by name when the files carry the model's names, else by position.
    std::vector<HostTensor> files;
    for (const std::string &path : numberedFiles(dataDir, "input"))
      files.push_back(readTensor(path));
    size_t numInputs = nnc_model_input_count(model.handle);
    std::vector<nnc_tensor_info_t> inputInfo(numInputs);
    std::vector<const HostTensor *> chosen(numInputs, nullptr);
    for (size_t i = 0; i < numInputs; ++i) {
      check(nnc_model_input_info(model.handle, i, &inputInfo[i]));
      for (const HostTensor &t : files)
        if (t.name == inputInfo[i].name)
          chosen[i] = &t;
      if (!chosen[i] && i < files.size() && files.size() == numInputs)
        chosen[i] = &files[i];
      if (!chosen[i])
        throw Failure{std::string("no data for input '") + inputInfo[i].name + "' in " + dataDir};
    }
    std::vector<nnc_tensor_view_t> inputs(numInputs);
    for (size_t i = 0; i < numInputs; ++i) {
      const HostTensor &t = *chosen[i];
      inputs[i] = {const_cast<char *>(t.bytes.data()), t.dtype,
                   static_cast<int32_t>(t.shape.size()), t.shape.data(), t.bytes.size()};
    }
    size_t numOutputs = nnc_model_output_count(model.handle);
    std::vector<nnc_tensor_info_t> outputInfo(numOutputs);
    std::vector<std::vector<char>> outputData(numOutputs);
    std::vector<nnc_tensor_view_t> outputs(numOutputs);
    for (size_t i = 0; i < numOutputs; ++i) {
      check(nnc_model_output_info(model.handle, i, &outputInfo[i]));
      outputData[i].resize(std::max<size_t>(outputInfo[i].byte_size, 1));
      outputs[i] = {outputData[i].data(), outputInfo[i].dtype, outputInfo[i].rank,
                    outputInfo[i].shape, outputInfo[i].byte_size};
    }
    auto runOnce = [&] {
      check(nnc_model_run(model.handle, inputs.data(), numInputs, outputs.data(), numOutputs));
    };
    runOnce();

    bool allMatch = true;
    std::vector<std::string> expectedFiles = numberedFiles(dataDir, "output");
    if (!expectedFiles.empty()) {
      if (expectedFiles.size() != numOutputs)
        throw Failure{"the data has " + std::to_string(expectedFiles.size()) +
                      " expected outputs, the model produces " + std::to_string(numOutputs)};
      for (size_t i = 0; i < numOutputs; ++i)
        allMatch &= compareOutput(outputInfo[i], outputData[i].data(), readTensor(expectedFiles[i]),
                                  rtol, atol);
    }
    if (!saveOutputs.empty()) {
      llvm::sys::fs::create_directories(saveOutputs);
      for (size_t i = 0; i < numOutputs; ++i) {
        llvm::SmallString<256> path(saveOutputs);
        llvm::sys::path::append(path, "output_" + std::to_string(i) + ".pb");
        writeTensor(std::string(path), outputInfo[i], outputData[i].data());
      }
    }
    if (bench > 0) {
      auto warmupEnd = std::chrono::steady_clock::now() + std::chrono::milliseconds(warmupMs);
      for (unsigned i = 0; i < warmup || std::chrono::steady_clock::now() < warmupEnd; ++i)
        runOnce();
      std::vector<double> times;
      for (unsigned i = 0; i < bench; ++i) {
        auto start = std::chrono::steady_clock::now();
        runOnce();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
      }
      std::sort(times.begin(), times.end());
      double median = times[times.size() / 2];
      double p90 = times[std::min(times.size() - 1, times.size() * 9 / 10)];
      llvm::outs() << "median_ms=" << llvm::format("%.4f", median)
                   << " p90_ms=" << llvm::format("%.4f", p90) << "\n";
    }
    return allMatch ? 0 : kExitMismatch;
  } catch (const Failure &failure) {
    if (!compiled.empty())
      llvm::sys::fs::remove(compiled);
    llvm::errs() << "nnc-run: error: " << failure.message << "\n";
    return kExitError;
  }
}
