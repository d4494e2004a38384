// nnc_rt_test.cc - the runtime's C API against a compiled model: metadata,
// every argument check, runtime-allocated outputs, concurrent runs, and
// descriptors it must refuse. The model is the digits example, compiled by the
// test suite (NNC_TEST_MODEL).
#include "nnc_rt/nnc_rt.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string TakeMessage(nnc_status_t status) {
  std::string message = nnc_status_message(status);
  nnc_status_free(status);
  return message;
}

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* path = std::getenv("NNC_TEST_MODEL");
    ASSERT_NE(path, nullptr) << "NNC_TEST_MODEL must name a compiled digits model";
    model_path_ = path;
    nnc_status_t status = nnc_model_load_file(path, &model_);
    ASSERT_EQ(status, nullptr) << TakeMessage(status);
    image_.assign(64, 0.25f);
    logits_.assign(10, 0.0f);
  }
  void TearDown() override { nnc_model_release(model_); }

  nnc_tensor_view_t Input() {
    return {image_.data(), NNC_DTYPE_FLOAT32, 4, in_shape_, image_.size() * sizeof(float)};
  }
  nnc_tensor_view_t Output(float* data) {
    return {data, NNC_DTYPE_FLOAT32, 2, out_shape_, 10 * sizeof(float)};
  }
  std::string RunError(nnc_tensor_view_t in, nnc_tensor_view_t out) {
    nnc_status_t status = nnc_model_run(model_, &in, 1, &out, 1);
    return status ? TakeMessage(status) : "";
  }

  std::string model_path_;
  nnc_model_t* model_ = nullptr;
  std::vector<float> image_, logits_;
  int64_t in_shape_[4] = {1, 1, 8, 8};
  int64_t out_shape_[2] = {1, 10};
};

TEST_F(RuntimeTest, DescribesInputsAndOutputs) {
  ASSERT_EQ(nnc_model_input_count(model_), 1u);
  ASSERT_EQ(nnc_model_output_count(model_), 1u);
  nnc_tensor_info_t info;
  ASSERT_EQ(nnc_model_input_info(model_, 0, &info), nullptr);
  EXPECT_STREQ(info.name, "input");
  EXPECT_EQ(info.dtype, NNC_DTYPE_FLOAT32);
  ASSERT_EQ(info.rank, 4);
  EXPECT_EQ(info.shape[2], 8);
  EXPECT_EQ(info.byte_size, 256u);
  ASSERT_EQ(nnc_model_output_info(model_, 0, &info), nullptr);
  EXPECT_STREQ(info.name, "logits");
  EXPECT_EQ(info.byte_size, 40u);
  EXPECT_NE(TakeMessage(nnc_model_input_info(model_, 1, &info)).find("out of range"),
            std::string::npos);
}

TEST_F(RuntimeTest, RejectsEveryMismatchBeforeWriting) {
  nnc_tensor_view_t in = Input(), out = Output(logits_.data());
  logits_.assign(10, -7.0f);

  nnc_tensor_view_t wrong = in;
  wrong.dtype = NNC_DTYPE_INT64;
  EXPECT_EQ(RunError(wrong, out), "nnc: input 0 ('input'): dtype int64, expected float32");
  wrong = in;
  wrong.rank = 3;
  EXPECT_EQ(RunError(wrong, out), "nnc: input 0 ('input'): rank 3, expected 4");
  int64_t bad_shape[4] = {1, 1, 8, 9};
  wrong = in;
  wrong.shape = bad_shape;
  EXPECT_EQ(RunError(wrong, out), "nnc: input 0 ('input'): dim 3 is 9, expected 8");
  wrong = in;
  wrong.byte_size = 100;
  EXPECT_EQ(RunError(wrong, out), "nnc: input 0 ('input'): buffer holds 100 bytes, expected 256");
  wrong = in;
  wrong.data = nullptr;
  EXPECT_EQ(RunError(wrong, out), "nnc: input 0 ('input'): data is NULL");
  std::vector<float> unaligned_storage(65);
  wrong = in;
  wrong.data = reinterpret_cast<char*>(unaligned_storage.data()) + 2;
  EXPECT_EQ(RunError(wrong, out),
            "nnc: input 0 ('input'): data is not aligned to its 4-byte elements");
  nnc_tensor_view_t bad_out = out;
  bad_out.shape = in_shape_;
  bad_out.rank = 4;
  EXPECT_EQ(RunError(in, bad_out), "nnc: output 0 ('logits'): rank 4, expected 2");

  nnc_tensor_view_t in_place = Output(image_.data());
  EXPECT_EQ(RunError(in, in_place), "nnc: output 0 ('logits') overlaps input 0 ('input')");

  EXPECT_EQ(TakeMessage(nnc_model_run(model_, &in, 2, &out, 1)),
            "nnc: got 2 inputs, the model takes 1");
  EXPECT_EQ(TakeMessage(nnc_model_run(model_, &in, 1, &out, 0)),
            "nnc: got 0 outputs, the model produces 1");
  EXPECT_NE(TakeMessage(nnc_model_run(nullptr, &in, 1, &out, 1)).find("model must not be NULL"),
            std::string::npos);
  EXPECT_NE(TakeMessage(nnc_model_run(model_, nullptr, 1, &out, 1)).find("must not be NULL"),
            std::string::npos);
  // Nothing was written by the refused calls.
  for (float v : logits_) EXPECT_EQ(v, -7.0f);
}

TEST_F(RuntimeTest, AllocatedOutputsMatchCallerBuffers) {
  nnc_tensor_view_t in = Input(), out = Output(logits_.data());
  ASSERT_EQ(nnc_model_run(model_, &in, 1, &out, 1), nullptr);
  void* buffer = nullptr;
  nnc_status_t status = nnc_model_run_allocating_outputs(model_, &in, 1, &buffer, 1);
  ASSERT_EQ(status, nullptr) << TakeMessage(status);
  EXPECT_EQ(std::memcmp(buffer, logits_.data(), 40), 0);
  nnc_buffer_free(buffer);
}

// Eight threads run the one loaded model at once, each on its own input and
// output buffers, 50 times; every result must equal, bit for bit, a run of
// the same input on one thread. The second round shares the model's worker
// threads between the overlapping runs. (runtime-c-api-tsan runs this under
// ThreadSanitizer.)
TEST_F(RuntimeTest, ConcurrentRunsAreBitIdentical) {
  constexpr int kThreads = 8;
  std::vector<std::vector<float>> images(kThreads), expected(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    images[t].resize(64);
    for (int i = 0; i < 64; ++i) images[t][i] = static_cast<float>((i * 7 + t * 13) % 17) / 16.0f;
    expected[t].resize(10);
    nnc_tensor_view_t in = {images[t].data(), NNC_DTYPE_FLOAT32, 4, in_shape_, 256};
    nnc_tensor_view_t out = Output(expected[t].data());
    ASSERT_EQ(nnc_model_run(model_, &in, 1, &out, 1), nullptr);
  }
  for (int model_threads : {1, 2}) {
    ASSERT_EQ(nnc_model_set_num_threads(model_, model_threads), nullptr);
    std::vector<std::vector<float>> results(kThreads, std::vector<float>(10));
    std::vector<int> failures(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        std::vector<float> image = images[t];  // this thread's own input buffer
        nnc_tensor_view_t in = {image.data(), NNC_DTYPE_FLOAT32, 4, in_shape_, 256};
        nnc_tensor_view_t out = Output(results[t].data());
        for (int i = 0; i < 50; ++i) {
          nnc_status_t status = nnc_model_run(model_, &in, 1, &out, 1);
          if (status || std::memcmp(results[t].data(), expected[t].data(), 40) != 0) ++failures[t];
          nnc_status_free(status);
        }
      });
    for (auto& t : threads) t.join();
    for (int t = 0; t < kThreads; ++t)
      EXPECT_EQ(failures[t], 0) << "thread " << t << " with " << model_threads << " model threads";
  }
}

TEST(RuntimeLoadTest, ReportsMissingAndForeignFiles) {
  nnc_model_t* model = nullptr;
  std::string message = TakeMessage(nnc_model_load_file("/nonexistent/model.so", &model));
  EXPECT_NE(message.find("cannot load model '/nonexistent/model.so'"), std::string::npos);
  EXPECT_EQ(model, nullptr);

  const char* self = std::getenv("NNC_TEST_RUNTIME");
  ASSERT_NE(self, nullptr);
  message = TakeMessage(nnc_model_load_file(self, &model));
  EXPECT_NE(message.find("is not an nnc model (no symbol nnc_model_v0)"), std::string::npos);

  std::string truncated = ::testing::TempDir() + "truncated.so";
  {
    std::ifstream in(std::getenv("NNC_TEST_MODEL"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(truncated, std::ios::binary).write(bytes.data(), bytes.size() / 3);
  }
  message = TakeMessage(nnc_model_load_file(truncated.c_str(), &model));
  EXPECT_NE(message.find("the file is truncated"), std::string::npos) << message;
  EXPECT_NE(TakeMessage(nnc_model_load_file(nullptr, &model)).find("must not be NULL"),
            std::string::npos);
}

const nnc_kernel_model_v0_t* FutureModel() {
  static const nnc_kernel_model_v0_t model = {99, 0, 0, 0, nullptr, nullptr, nullptr, "nnc 9.9", 0};
  return &model;
}

TEST(RuntimeLoadTest, RefusesOtherABIVersions) {
  nnc_model_t* model = nullptr;
  std::string message = TakeMessage(nnc_model_load_static(&FutureModel, &model));
  EXPECT_NE(message.find("model ABI version 99 (built by nnc 9.9) is not supported; this runtime "
                         "(nnc 0.1) reads ABI version 0"),
            std::string::npos)
      << message;
  EXPECT_EQ(model, nullptr);
}

// A model with no tensors whose run records the workspace it was lent.
std::vector<void*> lent_workspaces;
void RecordWorkspace(void* const*, void* const*, const nnc_kernel_env_v0_t* env) {
  lent_workspaces.push_back(env->workspace);
}
const nnc_kernel_model_v0_t* WorkspaceModel() {
  static const nnc_kernel_model_v0_t model = {
      NNC_KERNEL_ABI_VERSION_0, 0, 0, 0, nullptr, nullptr, &RecordWorkspace, "nnc test", 1 << 20};
  return &model;
}

void NeverRuns(void* const*, void* const*, const nnc_kernel_env_v0_t*) { ADD_FAILURE(); }
const nnc_kernel_model_v0_t* CudaModel() {
  static const nnc_kernel_model_v0_t model = {
      0, 0, 0, NNC_KERNEL_DEVICE_CUDA, nullptr, nullptr, NeverRuns, "nnc 0.1", 0};
  return &model;
}
const nnc_kernel_model_v0_t* UnknownDeviceModel() {
  static const nnc_kernel_model_v0_t model = {0, 0, 0, 7, nullptr, nullptr, NeverRuns, "nnc 9.9", 0};
  return &model;
}

TEST(RuntimeCudaTest, CudaModelsNeedADriverAndSayWhy) {
  std::string why = TakeMessage(nnc_cuda_device_status());
  if (why.empty()) GTEST_SKIP() << "a CUDA device is usable here";
  nnc_model_t* model = nullptr;
  std::string message = TakeMessage(nnc_model_load_static(&CudaModel, &model));
  // "nnc: static model is a CUDA model, and no CUDA driver: cannot open libcuda.so.1 (...)"
  EXPECT_NE(message.find("static model is a CUDA model, and "), std::string::npos) << message;
  EXPECT_NE(message.find(why.substr(std::string("nnc: ").size())), std::string::npos)
      << message << " / " << why;
  EXPECT_EQ(model, nullptr);
}

TEST(RuntimeCudaTest, RefusesUnknownDevices) {
  nnc_model_t* model = nullptr;
  std::string message = TakeMessage(nnc_model_load_static(&UnknownDeviceModel, &model));
  EXPECT_NE(message.find("the model runs on device 7, which this runtime (nnc 0.1) does not know"),
            std::string::npos)
      << message;
  EXPECT_EQ(model, nullptr);
}

TEST(RuntimeCudaTest, DeviceRunsNeedACudaModel) {
  nnc_model_t* model = nullptr;
  ASSERT_EQ(TakeMessage(nnc_model_load_static(&WorkspaceModel, &model)), "");
  EXPECT_EQ(nnc_model_device(model), NNC_DEVICE_CPU);
  std::string message = TakeMessage(nnc_model_run_device(model, nullptr, 0, nullptr, 0));
  EXPECT_EQ(message, "nnc_model_run_device: the model runs on the CPU; use nnc_model_run");
  nnc_model_release(model);
}

TEST(RuntimeWorkspaceTest, OneAlignedWorkspaceServesSuccessiveRuns) {
  nnc_model_t* model = nullptr;
  ASSERT_EQ(nnc_model_load_static(&WorkspaceModel, &model), nullptr);
  lent_workspaces.clear();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(nnc_model_run(model, nullptr, 0, nullptr, 0), nullptr);
  ASSERT_EQ(lent_workspaces.size(), 3u);
  EXPECT_NE(lent_workspaces[0], nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(lent_workspaces[0]) % 64, 0u);
  EXPECT_EQ(lent_workspaces[1], lent_workspaces[0]);
  EXPECT_EQ(lent_workspaces[2], lent_workspaces[0]);
  nnc_model_release(model);
}

// A model with no tensors whose run hands 1000 iterations to parallel_for;
// each iteration records how often it ran and on which thread.
struct ParallelRecord {
  std::atomic<int> runs[1000];
  std::mutex mutex;
  std::set<std::thread::id> threads;
};
ParallelRecord* parallel_record = nullptr;
void CountIteration(void* context, int64_t begin, int64_t end) {
  auto* record = static_cast<ParallelRecord*>(context);
  for (int64_t i = begin; i < end; ++i) record->runs[i]++;
  std::this_thread::sleep_for(std::chrono::microseconds(20));
  std::lock_guard<std::mutex> lock(record->mutex);
  record->threads.insert(std::this_thread::get_id());
}
void RunParallel(void* const*, void* const*, const nnc_kernel_env_v0_t* env) {
  env->parallel_for(env->pool, 1000, &CountIteration, parallel_record);
}
const nnc_kernel_model_v0_t* ParallelModel() {
  static const nnc_kernel_model_v0_t model = {
      NNC_KERNEL_ABI_VERSION_0, 0, 0, 0, nullptr, nullptr, &RunParallel, "nnc test", 0};
  return &model;
}

TEST(RuntimeThreadsTest, EveryIterationRunsOnceAcrossTheThreads) {
  nnc_model_t* model = nullptr;
  ASSERT_EQ(nnc_model_load_static(&ParallelModel, &model), nullptr);
  for (int threads : {1, 4, 2}) {
    ASSERT_EQ(nnc_model_set_num_threads(model, threads), nullptr);
    ParallelRecord record;
    for (auto& runs : record.runs) runs = 0;
    parallel_record = &record;
    ASSERT_EQ(nnc_model_run(model, nullptr, 0, nullptr, 0), nullptr);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(record.runs[i], 1) << "iteration " << i;
    // 1000 iterations of 20 us: every worker takes some.
    EXPECT_EQ(record.threads.size(), static_cast<size_t>(threads));
  }
  nnc_model_release(model);
}

TEST(RuntimeThreadsTest, OverlappingRunsShareTheWorkers) {
  nnc_model_t* model = nullptr;
  ASSERT_EQ(nnc_model_load_static(&ParallelModel, &model), nullptr);
  ASSERT_EQ(nnc_model_set_num_threads(model, 3), nullptr);
  ParallelRecord record;
  for (auto& runs : record.runs) runs = 0;
  parallel_record = &record;
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] {
      for (int j = 0; j < 5; ++j) nnc_status_free(nnc_model_run(model, nullptr, 0, nullptr, 0));
    });
  for (auto& caller : callers) caller.join();
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(record.runs[i], 20) << "iteration " << i;
  nnc_model_release(model);
}

TEST(RuntimeThreadsTest, RefusesThreadCountsOutOfRange) {
  nnc_model_t* model = nullptr;
  ASSERT_EQ(nnc_model_load_static(&ParallelModel, &model), nullptr);
  EXPECT_NE(TakeMessage(nnc_model_set_num_threads(model, 0)).find("0 threads; expected 1 to 256"),
            std::string::npos);
  EXPECT_NE(TakeMessage(nnc_model_set_num_threads(model, 257)).find("expected 1 to 256"),
            std::string::npos);
  EXPECT_NE(TakeMessage(nnc_model_set_num_threads(nullptr, 2)).find("must not be NULL"),
            std::string::npos);
  nnc_model_release(model);
}

}  // namespace
