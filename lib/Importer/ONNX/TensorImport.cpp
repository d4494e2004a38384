//===- TensorImport.cpp - ONNX TensorProto -> MLIR constants ---------------===//
//
// Weights are stored once: raw_data is copied into a resource blob (the only
// copy MLIR keeps), external data is memory-mapped and the blob borrows the
// mapping. Tensors small enough to matter for folding (shape operands) become
// dense attributes.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::nnc::onnx_import;

namespace {
/// Tensors of at most this many bytes become dense attributes that folders see.
constexpr size_t kMaxDenseBytes = 1024;

/// Storage bytes per element in MLIR (i1 is stored as one byte).
size_t storageBytes(Type element) {
  return element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
}

/// Makes the attribute from little-endian element bytes in MLIR's layout.
ElementsAttr makeElements(RankedTensorType type, ArrayRef<char> bytes, StringRef name,
                          std::optional<AsmResourceBlob> blob) {
  if (bytes.size() > kMaxDenseBytes) {
    if (!blob)
      blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(std::max_align_t));
    return DenseResourceElementsAttr::get(type, name.empty() ? "onnx_tensor" : name,
                                          std::move(*blob));
  }
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

/// Appends the little-endian bytes of `value` truncated to `width` bytes.
void appendBytes(std::string &out, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

/// True when `path` (already made absolute) lies inside `dir`.
bool isInside(StringRef path, StringRef dir) {
  return path.starts_with(dir) &&
         (path.size() == dir.size() || llvm::sys::path::is_separator(path[dir.size()]));
}
} // namespace

Type mlir::nnc::onnx_import::convertElementType(MLIRContext *context, int32_t onnxType) {
  Builder b(context);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT8:
    return b.getI8Type();
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

std::string mlir::nnc::onnx_import::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto::DataType_IsValid(onnxType))
    return onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(onnxType));
  // Types newer than the onnx.proto Debian's libonnx was built from.
  static const char *const newer[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",      "INT4",
      "FLOAT4E2M1",   "FLOAT8E8M0",     "UINT2",      "INT2",           "FLOAT6E2M3", "FLOAT6E3M2"};
  if (onnxType >= 17 && onnxType < 17 + static_cast<int32_t>(std::size(newer)))
    return newer[onnxType - 17];
  return "data type " + std::to_string(onnxType);
}

std::string mlir::nnc::onnx_import::tensorSizeProblem(RankedTensorType type) {
  uint64_t bytes = type.getElementType().isIntOrFloat() ? storageBytes(type.getElementType()) : 8;
  bool tooLarge = false;
  for (int64_t dim : type.getShape()) {
    if (ShapedType::isDynamic(dim))
      continue;
    if (dim < 0)
      return "has a negative dim (" + std::to_string(dim) + ")";
    if (dim > 0 && bytes > kMaxTensorBytes / static_cast<uint64_t>(dim))
      tooLarge = true;
    else
      bytes *= static_cast<uint64_t>(dim);
  }
  // A zero dim makes the tensor empty however large the others are.
  if (tooLarge && !llvm::is_contained(type.getShape(), 0)) {
    std::string shape;
    for (int64_t dim : type.getShape())
      shape += (shape.empty() ? "" : "x") +
               (ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim));
    return "would be a tensor of shape " + shape + ", more than the " +
           std::to_string(kMaxTensorBytes >> 30) + " GiB nnc accepts";
  }
  return "";
}

FailureOr<ElementsAttr> mlir::nnc::onnx_import::convertTensor(MLIRContext *context,
                                                              const onnx::TensorProto &tensor,
                                                              StringRef modelDir, Location loc) {
  Type element = convertElementType(context, tensor.data_type());
  if (!element)
    return emitError(loc) << "unsupported ONNX dtype " << onnxTypeName(tensor.data_type())
                          << " in tensor '" << tensor.name() << "'";
  if (llvm::any_of(tensor.dims(), [](int64_t dim) { return dim < 0; }))
    return emitError(loc) << "tensor '" << tensor.name() << "' has an invalid shape";
  auto type = RankedTensorType::get(llvm::to_vector(tensor.dims()), element);
  if (std::string problem = tensorSizeProblem(type); !problem.empty())
    return emitError(loc) << "tensor '" << tensor.name() << "' " << problem;
  int64_t count = type.getNumElements();
  size_t width = storageBytes(element);
  size_t expectedBytes = count * width;

  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    bool numbersValid = true;
    for (const auto &entry : tensor.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        numbersValid &= !StringRef(entry.value()).getAsInteger(10, offset);
      else if (entry.key() == "length")
        numbersValid &= !StringRef(entry.value()).getAsInteger(10, length);
    }
    auto refuse = [&](StringRef why) {
      return emitError(loc) << "external data '" << location << "' of tensor '" << tensor.name()
                            << "' " << why;
    };
    if (!numbersValid)
      return refuse("has an offset or length that is not a 64-bit integer");
    if (location.empty())
      return refuse("has no location");
    if (llvm::sys::path::is_absolute(location))
      return refuse("is an absolute path; it must be relative to the model's folder");
    for (StringRef part :
         llvm::make_range(llvm::sys::path::begin(location), llvm::sys::path::end(location)))
      if (part == "..")
        return refuse("leaves the model's folder");
    SmallString<256> path(modelDir);
    llvm::sys::path::append(path, location);
    SmallString<256> realPath, realDir;
    if (llvm::sys::fs::real_path(path, realPath) || llvm::sys::fs::real_path(modelDir, realDir))
      return refuse("cannot be opened (missing file)");
    if (!isInside(realPath, realDir))
      return refuse("resolves outside the model's folder");
    uint64_t fileSize = 0;
    if (llvm::sys::fs::file_size(realPath, fileSize))
      return refuse("cannot be read");
    if (offset < 0 || static_cast<uint64_t>(offset) > fileSize)
      return refuse("has an offset/length outside the file");
    if (length < 0)
      length = static_cast<int64_t>(fileSize - offset);
    if (static_cast<uint64_t>(length) > fileSize - offset)
      return refuse("has an offset/length outside the file");
    if (static_cast<size_t>(length) != expectedBytes)
      return refuse(("holds " + Twine(length) + " bytes, expected " + Twine(expectedBytes)).str());
    auto buffer = llvm::MemoryBuffer::getFileSlice(realPath, length, offset);
    if (!buffer)
      return refuse("cannot be mapped");
    ArrayRef<char> bytes((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
    std::optional<AsmResourceBlob> blob;
    // The blob borrows the mapping (and keeps it alive) when the data is aligned
    // for its element type; otherwise makeElements copies it once.
    if (bytes.size() > kMaxDenseBytes && reinterpret_cast<uintptr_t>(bytes.data()) % width == 0) {
      std::shared_ptr<llvm::MemoryBuffer> owner(std::move(*buffer));
      blob = AsmResourceBlob(
          bytes, /*dataAlignment=*/width,
          [owner](void *, size_t, size_t) mutable { owner.reset(); },
          /*dataIsMutable=*/false);
    }
    return makeElements(type, bytes, tensor.name(), std::move(blob));
  }

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != expectedBytes)
      return emitError(loc) << "tensor '" << tensor.name() << "' has " << raw.size()
                            << " bytes of raw_data, expected " << expectedBytes << " (" << count
                            << " x " << width << ")";
    return makeElements(type, ArrayRef<char>(raw.data(), raw.size()), tensor.name(), std::nullopt);
  }

  // Typed fields: ONNX stores small ints, bools and 16-bit floats (as bit
  // patterns) in int32_data.
  std::string bytes;
  bytes.reserve(expectedBytes);
  int64_t given = 0;
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    given = tensor.float_data_size();
    for (float v : tensor.float_data()) {
      uint32_t bits;
      std::memcpy(&bits, &v, 4);
      appendBytes(bytes, bits, 4);
    }
    break;
  case onnx::TensorProto::DOUBLE:
    given = tensor.double_data_size();
    for (double v : tensor.double_data()) {
      uint64_t bits;
      std::memcpy(&bits, &v, 8);
      appendBytes(bytes, bits, 8);
    }
    break;
  case onnx::TensorProto::INT64:
    given = tensor.int64_data_size();
    for (int64_t v : tensor.int64_data())
      appendBytes(bytes, static_cast<uint64_t>(v), 8);
    break;
  default:
    given = tensor.int32_data_size();
    for (int32_t v : tensor.int32_data())
      appendBytes(bytes, static_cast<uint64_t>(static_cast<int64_t>(v)), width);
    break;
  }
  if (given != count)
    return emitError(loc) << "tensor '" << tensor.name() << "' has " << given
                          << " values, expected " << count;
  return makeElements(type, ArrayRef<char>(bytes.data(), bytes.size()), tensor.name(),
                      std::nullopt);
}
